package io.hodei.server.jobs;

import io.hodei.core.jobs.JobSpec;
import io.hodei.core.jobs.JobState;
import io.hodei.core.jobs.WorkerChannel;
import io.hodei.core.workers.WorkerState;
import io.hodei.server.api.ApiException;
import io.hodei.server.controller.ControllerSettings;
import io.hodei.server.controller.WakeUp;
import io.hodei.server.governance.Labels;
import io.hodei.server.persistence.Db;
import io.hodei.server.workers.WorkerEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** What users do with jobs: submit, look, cancel. Always within the caller's tenant. */
@ApplicationScoped
public class Jobs {

  private final Db db;
  private final JobSpecCodec specs;
  private final JobTransitions transitions;
  private final WorkerChannel channel;
  private final ControllerSettings settings;
  private final Event<WakeUp> wakeUp;
  private final Clock clock;

  public Jobs(
      Db db,
      JobSpecCodec specs,
      JobTransitions transitions,
      WorkerChannel channel,
      ControllerSettings settings,
      Event<WakeUp> wakeUp,
      Clock clock) {
    this.db = db;
    this.specs = specs;
    this.transitions = transitions;
    this.channel = channel;
    this.settings = settings;
    this.wakeUp = wakeUp;
    this.clock = clock;
  }

  /** Stores a validated spec as a PENDING job and wakes the controller. */
  public Uni<JobView> submit(String tenant, JobSpec spec) {
    Instant now = clock.instant();
    JobEntity job = new JobEntity();
    job.id = UUID.randomUUID();
    job.tenant = tenant;
    job.name = spec.name();
    job.spec = specs.write(spec);
    // A job with a pool selector gets its pool when it is placed.
    job.pool = spec.selectsPool() ? null : spec.pool();
    job.poolSelector = spec.selectsPool() ? Labels.write(spec.poolSelector()) : null;
    job.state = JobState.PENDING;
    job.attempt = 1;
    job.reason = "waiting to be placed";
    job.nextAttemptAt = now;
    job.createdAt = now;
    job.updatedAt = now;
    JobEventEntity created = new JobEventEntity();
    created.jobId = job.id;
    created.attempt = 1;
    created.toState = JobState.PENDING;
    created.reason = "submitted";
    created.at = now;
    return db.tx(session -> session.persist(job).call(() -> session.persist(created)))
        .invoke(() -> wakeUp.fire(new WakeUp("job submitted")))
        .map(ignored -> JobView.of(job, spec, List.of(created)));
  }

  public Uni<JobView> get(String tenant, UUID id) {
    return db.tx(
        session ->
            find(session, tenant, id, LockModeType.NONE)
                .chain(
                    job ->
                        session
                            .createSelectionQuery(
                                "from JobEventEntity where jobId = :id order by id",
                                JobEventEntity.class)
                            .setParameter("id", id)
                            .getResultList()
                            .map(events -> JobView.of(job, specs.read(job), events))));
  }

  /** A page of the tenant's jobs, newest first, optionally in one state. */
  public Uni<List<JobView>> list(String tenant, JobState state, int limit, int offset) {
    return db.tx(
        session -> {
          Mutiny.SelectionQuery<JobEntity> query =
              session
                  .createSelectionQuery(
                      "from JobEntity where tenant = :tenant"
                          + (state == null ? "" : " and state = :state")
                          + " order by createdAt desc, id",
                      JobEntity.class)
                  .setParameter("tenant", tenant);
          if (state != null) {
            query.setParameter("state", state);
          }
          return query
              .setFirstResult(offset)
              .setMaxResults(limit)
              .getResultList()
              .map(jobs -> jobs.stream().map(j -> JobView.of(j, specs.read(j), null)).toList());
        });
  }

  /**
   * Cancels a job. A job that has not reached a worker ends at once; a running one is told to stop
   * and ends when its agent confirms, or when the grace period passes.
   */
  public Uni<JobView> cancel(String tenant, UUID id) {
    Instant now = clock.instant();
    return db.tx(
            session ->
                find(session, tenant, id, LockModeType.PESSIMISTIC_WRITE)
                    .chain(job -> cancel(session, job, now).replaceWith(job)))
        .invoke(
            job -> {
              if (job.state == JobState.RUNNING || job.dispatchedAt != null) {
                channel.cancelJob(
                    job.workerId.toString(),
                    job.id.toString(),
                    job.attempt,
                    "cancelled by a user",
                    settings.cancelGrace());
              }
              wakeUp.fire(new WakeUp("job cancelled"));
            })
        .chain(job -> get(tenant, job.id));
  }

  private Uni<Void> cancel(Mutiny.Session session, JobEntity job, Instant now) {
    if (job.state.isFinal()) {
      throw ApiException.conflict("job " + job.id + " has already ended as " + job.state);
    }
    if (job.state == JobState.PENDING) {
      return transitions.move(session, job, JobState.CANCELLED, "cancelled by a user", now);
    }
    if (job.cancelRequestedAt == null) {
      job.cancelRequestedAt = now;
      job.updatedAt = now;
    }
    if (job.state == JobState.PROVISIONING && job.dispatchedAt == null) {
      // Not on a worker yet: nothing to stop but the worker being started for it.
      return transitions
          .move(session, job, JobState.CANCELLED, "cancelled by a user", now)
          .chain(
              () -> session.find(WorkerEntity.class, job.workerId, LockModeType.PESSIMISTIC_WRITE))
          .invoke(
              worker -> {
                if (worker != null && worker.state.canMoveTo(WorkerState.TERMINATING)) {
                  worker.moveTo(WorkerState.TERMINATING, "its job was cancelled", now);
                }
              })
          .replaceWithVoid();
    }
    return Uni.createFrom().voidItem();
  }

  private static Uni<JobEntity> find(
      Mutiny.Session session, String tenant, UUID id, LockModeType lock) {
    return session
        .find(JobEntity.class, id, lock)
        .map(
            job -> {
              // Another tenant's job is answered exactly like a missing one.
              if (job == null || !job.tenant.equals(tenant)) {
                throw ApiException.notFound("no job " + id);
              }
              return job;
            });
  }
}
