package io.hodei.core.governance.snapshot;

import io.hodei.plugin.api.Resources;

/**
 * A provider instance as the resource controller sees it.
 *
 * @param name the instance's name
 * @param type its provider type, such as {@code docker}
 * @param health its last known health
 * @param healthDetail what its provider said about that health, for people; may be empty
 * @param limits what all pools on this instance may hold together (workers, cpu, memory); other
 *     dimensions {@link Amounts#UNLIMITED}
 * @param maxPerWorker the largest worker it can start
 */
public record ProviderInstanceInfo(
    String name,
    String type,
    ProviderHealthState health,
    String healthDetail,
    Amounts limits,
    Resources maxPerWorker) {

  public ProviderInstanceInfo {
    healthDetail = healthDetail == null ? "" : healthDetail;
  }
}
