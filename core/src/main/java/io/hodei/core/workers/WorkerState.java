package io.hodei.core.workers;

import io.hodei.core.IllegalTransitionException;

/**
 * Where a worker is in its life, as the control plane knows it.
 *
 * <pre>
 *  PROVISIONING ──► READY ◄──► BUSY
 *      │  │           │         │
 *      │  └───────────┴─────────┴──► TERMINATING ──► TERMINATED
 *      │              │         │
 *      │              └─────────┴──► LOST     (missed heartbeats)
 *      └──► FAILED                            (provisioning failed or passed its deadline)
 * </pre>
 *
 * TERMINATED, LOST and FAILED are final. A final worker's backend resource may still exist until
 * the control plane has terminated it through its provider; that is tracked apart from the state.
 */
public enum WorkerState {
  PROVISIONING,
  READY,
  BUSY,
  TERMINATING,
  TERMINATED,
  LOST,
  FAILED;

  public boolean isFinal() {
    return this == TERMINATED || this == LOST || this == FAILED;
  }

  public boolean canMoveTo(WorkerState next) {
    return switch (this) {
      case PROVISIONING -> next == READY || next == TERMINATING || next == FAILED || next == LOST;
      case READY -> next == BUSY || next == TERMINATING || next == LOST;
      case BUSY -> next == READY || next == TERMINATING || next == LOST;
      case TERMINATING -> next == TERMINATED || next == LOST;
      case TERMINATED, LOST, FAILED -> false;
    };
  }

  public WorkerState moveTo(WorkerState next) {
    if (!canMoveTo(next)) {
      throw new IllegalTransitionException("a worker", this, next);
    }
    return next;
  }
}
