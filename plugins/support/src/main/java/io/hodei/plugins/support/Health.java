package io.hodei.plugins.support;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;

/** What a failed health probe means for the scheduler. */
public final class Health {

  private Health() {}

  /**
   * A throttled backend still works, more slowly: {@code DEGRADED}, so the scheduler prefers other
   * pools without giving up on this one. Any other failure: {@code UNHEALTHY}.
   */
  public static ProviderHealth of(ProviderException failure) {
    return failure.code() == ErrorCode.THROTTLED
        ? new ProviderHealth(ProviderHealth.Status.DEGRADED, failure.getMessage())
        : ProviderHealth.unhealthy(failure.getMessage());
  }
}
