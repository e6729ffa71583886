package io.hodei.server.jobs;

import io.hodei.core.jobs.FailureKind;
import io.hodei.core.jobs.JobState;
import io.hodei.core.jobs.RetryPolicy;
import io.hodei.server.governance.Reservations;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The moves of a job that more than one component makes (the controller, the worker service, the
 * API), each recorded as an event in the same transaction as the change.
 */
@ApplicationScoped
public class JobTransitions {

  private final JobSpecCodec specs;

  public JobTransitions(JobSpecCodec specs) {
    this.specs = specs;
  }

  /**
   * Moves the job and persists the event. When the move ends an attempt (the job leaves
   * PROVISIONING or RUNNING for any other state: succeeded, failed, cancelled, timed out, lost,
   * failed to provision or retried), the attempt's reservation is released in the same transaction.
   * Every end of an attempt comes through here, so the release happens exactly once.
   */
  public Uni<Void> move(
      Mutiny.Session session, JobEntity job, JobState next, String reason, Instant now) {
    boolean endsAttempt = holdsReservation(job.state) && !holdsReservation(next);
    int attempt = job.attempt;
    Uni<Void> recorded = session.persist(job.moveTo(next, reason, now));
    if (next != JobState.PENDING) {
      job.waitReason = null;
    }
    if (!endsAttempt) {
      return recorded;
    }
    return recorded.call(() -> Reservations.release(session, job.id, attempt));
  }

  private static boolean holdsReservation(JobState state) {
    return state == JobState.PROVISIONING || state == JobState.RUNNING;
  }

  /**
   * Ends the current attempt as failed: back to PENDING with backoff when the retry policy allows
   * it, otherwise {@code finalState}.
   */
  public Uni<Void> failAttempt(
      Mutiny.Session session,
      JobEntity job,
      FailureKind kind,
      JobState finalState,
      String reason,
      Integer exitCode,
      Instant now) {
    RetryPolicy policy = specs.read(job).retry();
    Optional<Duration> wait = policy.retryAfter(job.attempt, kind);
    job.exitCode = exitCode;
    job.failureKind = kind.name();
    if (wait.isPresent() && finalState == JobState.FAILED) {
      String why =
          "attempt "
              + job.attempt
              + " failed ("
              + describe(kind)
              + "): "
              + reason
              + "; retrying in "
              + wait.get().toSeconds()
              + "s";
      Uni<Void> recorded = move(session, job, JobState.PENDING, why, now);
      job.attempt++;
      job.workerId = null;
      job.nextAttemptAt = now.plus(wait.get());
      job.dispatchedAt = null;
      job.startedAt = null;
      job.deadlineAt = null;
      return recorded;
    }
    return move(session, job, finalState, reason, now);
  }

  private static String describe(FailureKind kind) {
    return kind == FailureKind.JOB ? "job failure" : "infrastructure failure";
  }
}
