package io.hodei.core.governance.snapshot;

import io.hodei.plugin.api.ProviderHealth;
import java.util.Optional;

/** A provider instance's last known health, best first; selectors prefer the better. */
public enum ProviderHealthState {
  HEALTHY,
  DEGRADED,
  /** Not checked yet: usable, but after degraded instances. */
  UNKNOWN,
  /** Excluded: its pools admit nothing. */
  UNHEALTHY;

  /** The state of an open instance from the health its provider last reported, if any. */
  public static ProviderHealthState of(Optional<ProviderHealth> reported) {
    if (reported.isEmpty()) {
      return UNKNOWN;
    }
    return switch (reported.get().status()) {
      case HEALTHY -> HEALTHY;
      case DEGRADED -> DEGRADED;
      case UNHEALTHY -> UNHEALTHY;
      case UNKNOWN -> UNKNOWN;
    };
  }
}
