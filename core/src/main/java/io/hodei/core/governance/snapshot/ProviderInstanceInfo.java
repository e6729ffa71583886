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

  /**
   * How a provider's health detail begins when its workers are not isolated from each other (the
   * {@code local} provider without its sandbox), so one job can read another's secrets.
   */
  public static final String NOT_ISOLATED = "not isolated";

  public ProviderInstanceInfo {
    healthDetail = healthDetail == null ? "" : healthDetail;
  }

  /** Whether its workers are kept apart from each other, as far as its health says. */
  public boolean isolatesWorkers() {
    return !healthDetail.startsWith(NOT_ISOLATED);
  }
}
