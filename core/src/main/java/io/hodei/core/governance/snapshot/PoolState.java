package io.hodei.core.governance.snapshot;

/** Whether a pool admits new jobs. */
public enum PoolState {
  /** Admits jobs. */
  ACTIVE,
  /** Runs what it holds, admits nothing new, and is removed once empty. */
  DRAINING,
  /** Admits nothing; what it holds keeps running. */
  DISABLED
}
