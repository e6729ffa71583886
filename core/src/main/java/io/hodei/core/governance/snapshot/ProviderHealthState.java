package io.hodei.core.governance.snapshot;

/** A provider instance's last known health, best first; selectors prefer the better. */
public enum ProviderHealthState {
  HEALTHY,
  DEGRADED,
  /** Not checked yet: usable, but after degraded instances. */
  UNKNOWN,
  /** Excluded: its pools admit nothing. */
  UNHEALTHY
}
