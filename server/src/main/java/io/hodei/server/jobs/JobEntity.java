package io.hodei.server.jobs;

import io.hodei.core.jobs.JobState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A job's row. Its state only changes through {@link #moveTo}, which enforces the state machine.
 */
@Entity
@Table(name = "jobs")
public class JobEntity {

  @Id public UUID id;
  public String tenant;
  public String name;
  public String spec;
  public String pool;

  @Enumerated(EnumType.STRING)
  public JobState state;

  public int attempt;

  @Column(name = "worker_id")
  public UUID workerId;

  @Column(name = "exit_code")
  public Integer exitCode;

  public String reason;

  @Column(name = "failure_kind")
  public String failureKind;

  @Column(name = "cancel_requested_at")
  public Instant cancelRequestedAt;

  @Column(name = "next_attempt_at")
  public Instant nextAttemptAt;

  @Column(name = "dispatched_at")
  public Instant dispatchedAt;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "deadline_at")
  public Instant deadlineAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  /** The job's pool selector as a JSON object of labels; null when it names its pool. */
  @Column(name = "pool_selector")
  public String poolSelector;

  /** Why the job waits, as JSON, while it is PENDING; null otherwise. */
  @Column(name = "wait_reason")
  public String waitReason;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /**
   * Moves the job to {@code next}, refusing illegal moves, and returns the event that records it.
   */
  public JobEventEntity moveTo(JobState next, String why, Instant now) {
    JobState previous = state;
    state = state.moveTo(next);
    reason = why;
    updatedAt = now;
    if (next.isFinal()) {
      finishedAt = now;
    }
    return JobEventEntity.of(this, previous, next, why, now);
  }
}
