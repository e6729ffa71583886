package io.hodei.server.jobs;

import io.hodei.core.jobs.JobSpec;
import io.hodei.core.jobs.JobState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as the API shows it.
 *
 * @param reason why it is in its state: why it waits while PENDING, why it failed when it ended
 * @param waitReason while PENDING, why it waits in detail: code, message, per-pool rejections and
 *     queue position; null otherwise
 */
public record JobView(
    UUID id,
    String name,
    String tenant,
    JobState state,
    int attempt,
    String pool,
    UUID workerId,
    Integer exitCode,
    String reason,
    WaitReason waitReason,
    String failureKind,
    boolean cancelRequested,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    JobSpec spec,
    List<EventView> events) {

  /** One recorded transition. */
  public record EventView(Instant at, int attempt, JobState from, JobState to, String reason) {

    static EventView of(JobEventEntity event) {
      return new EventView(event.at, event.attempt, event.fromState, event.toState, event.reason);
    }
  }

  static JobView of(JobEntity job, JobSpec spec, List<JobEventEntity> events) {
    return new JobView(
        job.id,
        job.name,
        job.tenant,
        job.state,
        job.attempt,
        job.pool,
        job.workerId,
        job.exitCode,
        job.reason,
        job.state == JobState.PENDING ? WaitReason.read(job.waitReason) : null,
        job.failureKind,
        job.cancelRequestedAt != null,
        job.createdAt,
        job.startedAt,
        job.finishedAt,
        spec,
        events == null ? null : events.stream().map(EventView::of).toList());
  }
}
