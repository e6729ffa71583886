package io.hodei.plugin.api;

/**
 * A worker's state as its provider's backend sees it. This is not the host's worker state, which
 * also knows whether the agent registered.
 *
 * <pre>
 *   PENDING ──► RUNNING ──► EXITED
 *      │           │
 *      └───────────┴──────► FAILED
 *   (any) ──► NOT_FOUND      once the backend no longer knows the worker
 * </pre>
 */
public enum WorkerState {
  /** Accepted by the backend, not running yet (image pull, scheduling, boot). */
  PENDING,
  /** Running. */
  RUNNING,
  /** Ended by itself or by terminate. */
  EXITED,
  /** Ended through a fault of the infrastructure: could not start, evicted, killed. */
  FAILED,
  /** The backend has no such worker. */
  NOT_FOUND;

  /** Whether the worker is over and holds nothing the host must wait for. */
  public boolean isFinal() {
    return this == EXITED || this == FAILED || this == NOT_FOUND;
  }
}
