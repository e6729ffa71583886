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
    UNHEALTHY,
    /**
     * Not known yet: the host reports this for a new instance until its first health check answers.
     * New work is still placed here; a provider that cannot take it says so when asked.
     */
    UNKNOWN
  }

  public ProviderHealth {
    detail = detail == null ? "" : detail;
  }

  public static ProviderHealth healthy() {
    return new ProviderHealth(Status.HEALTHY, "");
  }

  /** What the host knows of an instance before its first health check answers. */
  public static ProviderHealth unknown() {
    return new ProviderHealth(Status.UNKNOWN, "not checked yet");
  }

  public static ProviderHealth unhealthy(String detail) {
    return new ProviderHealth(Status.UNHEALTHY, detail);
  }

  /** Whether new work may be placed here: everything but UNHEALTHY, UNKNOWN included. */
  public boolean acceptsWork() {
    return status != Status.UNHEALTHY;
  }
}
