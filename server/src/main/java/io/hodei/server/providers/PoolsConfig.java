package io.hodei.server.providers;

import io.hodei.core.governance.snapshot.PoolState;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Pools declared in configuration, applied at every start:
 *
 * <pre>
 * hodei.pools.default.provider-instance=local
 * hodei.pools.default.max-workers=4
 * </pre>
 */
@ConfigMapping(prefix = "hodei.pools")
public interface PoolsConfig {

  @WithParentName
  Map<String, PoolDefinition> pools();

  /** One declared pool. */
  interface PoolDefinition {
    String providerInstance();

    @WithDefault("4")
    int maxWorkers();

    @WithDefault("1")
    int maxJobsPerWorker();

    @WithDefault("5m")
    Duration idleTimeout();

    @WithDefault("2m")
    Duration provisioningTimeout();

    /** The only tenant whose jobs may run in the pool; unset, every tenant shares it. */
    Optional<String> tenant();

    /**
     * Whether the pool, when shared, takes jobs on a provider whose workers are not isolated from
     * each other; off, such a pool takes none.
     */
    @WithDefault("false")
    boolean allowUnisolated();

    /** Labels that job pool selectors match, e.g. {@code hodei.pools.eu.labels.region=eu}. */
    Map<String, String> labels();

    /** Capacity in CPU millicores; unset is not capped. */
    Optional<Long> cpuMillis();

    /** Capacity in MiB of memory; unset is not capped. */
    Optional<Long> memoryMib();

    /** Capacity in GPUs; unset is not capped. */
    Optional<Long> gpus();

    /** Cost of one worker for an hour. */
    @WithDefault("0")
    double ratePerWorkerHour();

    /** Cost of one vCPU for an hour. */
    @WithDefault("0")
    double ratePerVcpuHour();

    /** Cost of one GiB of memory for an hour. */
    @WithDefault("0")
    double ratePerGibHour();

    /** Pool selectors try higher priorities first. */
    @WithDefault("0")
    int priority();

    /** ACTIVE, DRAINING or DISABLED. */
    @WithDefault("ACTIVE")
    PoolState state();
  }
}
