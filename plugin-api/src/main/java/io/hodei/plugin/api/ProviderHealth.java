package io.hodei.plugin.api;

/**
 * Whether a provider's backend can take work now.
 *
 * @param status the verdict
 * @param detail why, for people; shown as the reason jobs wait when the provider is unhealthy
 */
public record ProviderHealth(Status status, String detail) {

  /** The verdicts. */
  public enum Status {
    /** Works. */
    HEALTHY,
    /** Works, slowly or partly (e.g. throttled). New work is still placed here. */
    DEGRADED,
    /** Does not work; no new work is placed here. */
    UNHEALTHY
  }

  public ProviderHealth {
    detail = detail == null ? "" : detail;
  }

  public static ProviderHealth healthy() {
    return new ProviderHealth(Status.HEALTHY, "");
  }

  public static ProviderHealth unhealthy(String detail) {
    return new ProviderHealth(Status.UNHEALTHY, detail);
  }

  public boolean acceptsWork() {
    return status != Status.UNHEALTHY;
  }
}
