package io.hodei.server.controller;

import io.hodei.core.jobs.FailureKind;
import io.hodei.core.jobs.JobState;
import io.hodei.core.jobs.WorkerChannel;
import io.hodei.core.workers.WorkerState;
import io.hodei.server.jobs.JobEntity;
import io.hodei.server.jobs.JobTransitions;
import io.hodei.server.persistence.Db;
import io.hodei.server.workers.WorkerEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Enforces every deadline: workers that never registered, workers that stopped heartbeating, jobs
 * past their timeout, cancellations the agent never confirmed, and reusable workers idle too long.
 */
@ApplicationScoped
public class Deadlines {

  private final Db db;
  private final JobTransitions transitions;
  private final WorkerChannel channel;
  private final ControllerSettings settings;
  private final Clock clock;
  private final Instant started;

  /** How long a dispatched job may go unacknowledged before it is sent again. */
  static final Duration UNACKNOWLEDGED = Duration.ofSeconds(15);

  public Deadlines(
      Db db,
      JobTransitions transitions,
      WorkerChannel channel,
      ControllerSettings settings,
      Clock clock) {
    this.db = db;
    this.transitions = transitions;
    this.channel = channel;
    this.settings = settings;
    this.clock = clock;
    this.started = clock.instant();
  }

  /** A cancel to send to a worker after commit. */
  private record Stop(String workerId, String jobId, int attempt, String reason) {}

  public Uni<Void> enforce() {
    Instant now = clock.instant();
    List<Stop> stops = new ArrayList<>();
    return db.tx(
            session ->
                unregistered(session, now)
                    .chain(() -> silent(session, now))
                    .chain(() -> unacknowledged(session, now))
                    .chain(() -> spentTokens(session, now))
                    .chain(() -> timedOut(session, now, stops))
                    .chain(() -> unconfirmedCancels(session, now))
                    .chain(() -> idle(session, now)))
        .invoke(
            () ->
                stops.forEach(
                    stop ->
                        channel.cancelJob(
                            stop.workerId(),
                            stop.jobId(),
                            stop.attempt(),
                            stop.reason(),
                            settings.cancelGrace())));
  }

  private Uni<Void> unregistered(Mutiny.Session session, Instant now) {
    return lockWorkers(
            session,
            "select * from workers where state = 'PROVISIONING' and provisioning_deadline < :now",
            now)
        .call(
            workers ->
                forEach(
                    workers,
                    worker -> {
                      String reason =
                          "worker "
                              + worker.id
                              + " did not register before its provisioning deadline";
                      worker.moveTo(WorkerState.FAILED, reason, now);
                      return failJobOf(session, worker, reason, now);
                    }))
        .replaceWithVoid();
  }

  private Uni<Void> silent(Mutiny.Session session, Instant now) {
    if (now.isBefore(started.plus(reconnectGrace()))) {
      // Just started: agents of a previous run are still reconnecting; silence says nothing yet.
      return Uni.createFrom().voidItem();
    }
    Instant cutoff = now.minus(settings.heartbeatTimeout());
    return session
        .createNativeQuery(
            "select * from workers where state in ('READY', 'BUSY') and last_heartbeat < :cutoff"
                + " for update skip locked",
            WorkerEntity.class)
        .setParameter("cutoff", cutoff)
        .getResultList()
        .call(
            workers ->
                forEach(
                    workers,
                    worker -> {
                      String reason =
                          "worker "
                              + worker.id
                              + " lost: no heartbeat for "
                              + settings.heartbeatTimeout().toSeconds()
                              + "s";
                      worker.moveTo(WorkerState.LOST, reason, now);
                      return failJobOf(session, worker, reason, now);
                    }))
        .replaceWithVoid();
  }

  /**
   * A job sent to its worker but never acknowledged (the message was lost with a broken stream, or
   * the server died between commit and send) is sent again. Agents acknowledge a job they already
   * run, so a second send is harmless.
   */
  private Uni<Void> unacknowledged(Mutiny.Session session, Instant now) {
    return session
        .createMutationQuery(
            "update JobEntity set dispatchedAt = null where state = :provisioning"
                + " and dispatchedAt < :cutoff")
        .setParameter("provisioning", JobState.PROVISIONING)
        .setParameter("cutoff", now.minus(UNACKNOWLEDGED))
        .executeUpdate()
        .replaceWithVoid();
  }

  /** Bootstrap tokens are useless once used or expired; keep them an hour for inspection. */
  private Uni<Void> spentTokens(Mutiny.Session session, Instant now) {
    Instant cutoff = now.minus(Duration.ofHours(1));
    return session
        .createMutationQuery(
            "delete from BootstrapTokenEntity where expiresAt < :cutoff or usedAt < :cutoff")
        .setParameter("cutoff", cutoff)
        .executeUpdate()
        .replaceWithVoid();
  }

  /** Agents were told they may resume within the resume window; honour it after a restart. */
  private Duration reconnectGrace() {
    Duration timeout = settings.heartbeatTimeout();
    return timeout.compareTo(settings.resumeWindow()) > 0 ? timeout : settings.resumeWindow();
  }

  private Uni<Void> timedOut(Mutiny.Session session, Instant now, List<Stop> stops) {
    return lockJobs(
            session, "select * from jobs where state = 'RUNNING' and deadline_at < :now", now)
        .call(
            jobs ->
                forEach(
                    jobs,
                    job -> {
                      String reason = "exceeded its timeout";
                      stops.add(
                          new Stop(
                              job.workerId.toString(), job.id.toString(), job.attempt, reason));
                      return transitions
                          .move(session, job, JobState.TIMED_OUT, reason, now)
                          .chain(() -> stopWorker(session, job.workerId, "its job timed out", now));
                    }))
        .replaceWithVoid();
  }

  private Uni<Void> unconfirmedCancels(Mutiny.Session session, Instant now) {
    return lockJobs(
            session,
            "select * from jobs where state in ('PROVISIONING', 'RUNNING')"
                + " and cancel_requested_at < :now",
            now.minus(settings.cancelGrace()).minusSeconds(5))
        .call(
            jobs ->
                forEach(
                    jobs,
                    job ->
                        transitions
                            .move(
                                session,
                                job,
                                JobState.CANCELLED,
                                "cancelled; the worker did not confirm, so it is terminated",
                                now)
                            .chain(
                                () ->
                                    stopWorker(
                                        session, job.workerId, "its job was cancelled", now))))
        .replaceWithVoid();
  }

  private Uni<Void> idle(Mutiny.Session session, Instant now) {
    return session
        .createNativeQuery(
            "select w.* from workers w join pools p on p.name = w.pool"
                + " where w.state = 'READY' and w.job_id is null and (p.max_jobs_per_worker = 1"
                + " or w.idle_since < cast(:now as timestamptz) - p.idle_timeout_ms * interval '1 millisecond')"
                + " for update of w skip locked",
            WorkerEntity.class)
        .setParameter("now", now)
        .getResultList()
        .invoke(
            workers ->
                workers.forEach(
                    worker ->
                        worker.moveTo(WorkerState.TERMINATING, "idle past its pool's limit", now)))
        .replaceWithVoid();
  }

  private Uni<Void> failJobOf(
      Mutiny.Session session, WorkerEntity worker, String reason, Instant now) {
    if (worker.jobId == null) {
      return Uni.createFrom().voidItem();
    }
    return session
        .find(JobEntity.class, worker.jobId, LockModeType.PESSIMISTIC_WRITE)
        .chain(
            job -> {
              if (job == null || job.state.isFinal() || !worker.id.equals(job.workerId)) {
                return Uni.createFrom().voidItem();
              }
              if (job.cancelRequestedAt != null) {
                return transitions.move(
                    session, job, JobState.CANCELLED, "cancelled; " + reason, now);
              }
              return transitions.failAttempt(
                  session, job, FailureKind.INFRASTRUCTURE, JobState.FAILED, reason, null, now);
            });
  }

  private Uni<Void> stopWorker(Mutiny.Session session, UUID workerId, String reason, Instant now) {
    if (workerId == null) {
      return Uni.createFrom().voidItem();
    }
    return session
        .find(WorkerEntity.class, workerId, LockModeType.PESSIMISTIC_WRITE)
        .invoke(
            worker -> {
              if (worker != null && worker.state.canMoveTo(WorkerState.TERMINATING)) {
                worker.moveTo(WorkerState.TERMINATING, reason, now);
              }
            })
        .replaceWithVoid();
  }

  private static Uni<List<WorkerEntity>> lockWorkers(
      Mutiny.Session session, String sql, Instant now) {
    return session
        .createNativeQuery(sql + " for update skip locked", WorkerEntity.class)
        .setParameter("now", now)
        .getResultList();
  }

  private static Uni<List<JobEntity>> lockJobs(Mutiny.Session session, String sql, Instant now) {
    return session
        .createNativeQuery(sql + " for update skip locked", JobEntity.class)
        .setParameter("now", now)
        .getResultList();
  }

  private static <T> Uni<Void> forEach(
      List<T> items, java.util.function.Function<T, Uni<Void>> step) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (T item : items) {
      chain = chain.chain(() -> step.apply(item));
    }
    return chain;
  }
}
