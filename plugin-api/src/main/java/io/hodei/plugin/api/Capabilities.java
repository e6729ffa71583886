package io.hodei.plugin.api;

import java.util.Optional;
import java.util.Set;

/**
 * What a provider can offer, so that the scheduler can rule it out before calling it.
 *
 * @param maxPerWorker the largest single worker it can start
 * @param architectures CPU architectures of its workers, e.g. {@code amd64}, {@code arm64}
 * @param regions regions or zones it can place workers in; empty when the notion does not apply
 * @param maxWorkers workers it can hold at once; 0 means no limit of its own
 * @param listsWorkers whether {@link WorkerManagerProvider#list()} returns real data, so the host
 *     can detect orphans
 * @param costPerCoreHour indicative price of one core for one hour, in US dollars, if known
 */
public record Capabilities(
    Resources maxPerWorker,
    Set<String> architectures,
    Set<String> regions,
    int maxWorkers,
    boolean listsWorkers,
    Optional<Double> costPerCoreHour) {

  public Capabilities {
    architectures = Set.copyOf(architectures);
    regions = Set.copyOf(regions);
  }

  /** Whether this provider can offer GPUs at all. */
  public boolean gpu() {
    return maxPerWorker.gpus() > 0;
  }
}
