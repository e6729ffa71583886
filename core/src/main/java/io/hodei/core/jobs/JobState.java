package io.hodei.core.jobs;

import io.hodei.core.IllegalTransitionException;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a job is in its life.
 *
 * <pre>
 *  PENDING ──► PROVISIONING ──► RUNNING ──► SUCCEEDED
 *     ▲  │          │   │          │  │
 *     │  │          │   │          │  └──► FAILED / TIMED_OUT / CANCELLED
 *     │  │          │   └──► FAILED / TIMED_OUT / CANCELLED
 *     │  └──► CANCELLED / FAILED
 *     └──────── (retry after an infrastructure failure, from PROVISIONING or RUNNING)
 * </pre>
 *
 * PENDING waits for a worker; PROVISIONING has a worker assigned that is starting or about to
 * receive the job; RUNNING means the agent acknowledged it. The last four are final.
 */
public enum JobState {
  PENDING,
  PROVISIONING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  CANCELLED;

  private static final Set<JobState> FINAL = EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED);

  public boolean isFinal() {
    return FINAL.contains(this);
  }

  /** Whether a job may move from this state to {@code next}. */
  public boolean canMoveTo(JobState next) {
    return switch (this) {
      case PENDING -> next == PROVISIONING || next == CANCELLED || next == FAILED;
      case PROVISIONING, RUNNING ->
          next == PENDING || (next != this && next.isFinal()) || next == RUNNING && this != RUNNING;
      case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED -> false;
    };
  }

  /** Returns {@code next} when the move is allowed, and refuses it otherwise. */
  public JobState moveTo(JobState next) {
    if (!canMoveTo(next)) {
      throw new IllegalTransitionException("a job", this, next);
    }
    return next;
  }
}
