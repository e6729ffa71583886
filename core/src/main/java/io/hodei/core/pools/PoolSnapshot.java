package io.hodei.core.pools;

import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import java.util.List;
import java.util.Optional;

/**
 * What the scheduler knows of a pool at the moment it places a job.
 *
 * @param pool the pool
 * @param providerHealth its provider instance's last known health; empty when the instance is not
 *     open (its plugin is missing or failed)
 * @param maxPerWorker the largest worker its provider can start
 * @param activeWorkers workers that count against {@code maxWorkers}: starting, ready or busy
 * @param idleWorkers ids of ready workers that can take this job: same image and resources, and
 *     enough lifetime left for its timeout
 * @param idleMismatched ids of ready, jobless workers that cannot take it (another image or size,
 *     or too little lifetime left), oldest idle first
 */
public record PoolSnapshot(
    Pool pool,
    Optional<ProviderHealth> providerHealth,
    Resources maxPerWorker,
    int activeWorkers,
    List<String> idleWorkers,
    List<String> idleMismatched) {

  public PoolSnapshot {
    idleWorkers = List.copyOf(idleWorkers);
    idleMismatched = List.copyOf(idleMismatched);
  }
}
