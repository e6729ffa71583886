package io.hodei.server.governance;

import io.hodei.core.governance.selection.PlacementStrategy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Resource governance settings and declared tenant quotas, applied at every start:
 *
 * <pre>
 * hodei.governance.strategy=BIN_PACK
 * hodei.governance.quotas.acme.cpu-millis=8000
 * hodei.governance.quotas.acme.weight=2
 * hodei.governance.reconcile-interval=30s
 * </pre>
 */
@ConfigMapping(prefix = "hodei.governance")
public interface GovernanceSettings {

  /** How a pool selector chooses among equal pools that can all take a job. */
  @WithDefault("BIN_PACK")
  PlacementStrategy strategy();

  /** Declared quotas by tenant; declared ones win over stored ones at start. */
  Map<String, DeclaredQuota> quotas();

  /** One declared quota; an unset cap is not capped. */
  interface DeclaredQuota {
    Optional<Long> cpuMillis();

    Optional<Long> memoryMib();

    Optional<Long> gpus();

    Optional<Long> workers();

    Optional<Long> jobs();

    @WithDefault("1")
    double weight();
  }

  /** How often the ledger is reconciled with the live attempts, besides at start. */
  @WithDefault("30s")
  Duration reconcileInterval();
}
