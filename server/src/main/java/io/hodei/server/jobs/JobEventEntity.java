package io.hodei.server.jobs;

import io.hodei.core.jobs.JobState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One transition of a job, kept forever with its time and reason. */
@Entity
@Table(name = "job_events")
public class JobEventEntity {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "job_id")
  public UUID jobId;

  public int attempt;

  @Enumerated(EnumType.STRING)
  @Column(name = "from_state")
  public JobState fromState;

  @Enumerated(EnumType.STRING)
  @Column(name = "to_state")
  public JobState toState;

  public String reason;
  public Instant at;

  static JobEventEntity of(JobEntity job, JobState from, JobState to, String why, Instant at) {
    JobEventEntity event = new JobEventEntity();
    event.jobId = job.id;
    event.attempt = job.attempt;
    event.fromState = from;
    event.toState = to;
    event.reason = why == null ? "" : why;
    event.at = at;
    return event;
  }
}
