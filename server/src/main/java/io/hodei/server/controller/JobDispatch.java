package io.hodei.server.controller;

import io.hodei.core.jobs.FailureKind;
import io.hodei.core.jobs.JobAssignment;
import io.hodei.core.jobs.JobSecret;
import io.hodei.core.jobs.JobSpec;
import io.hodei.core.jobs.JobState;
import io.hodei.core.jobs.WorkerChannel;
import io.hodei.core.workers.WorkerState;
import io.hodei.server.jobs.JobEntity;
import io.hodei.server.jobs.JobSpecCodec;
import io.hodei.server.jobs.JobTransitions;
import io.hodei.server.persistence.Db;
import io.hodei.server.workers.WorkerEntity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Sends assigned jobs to their workers once those are connected to this server. The send happens
 * after the commit that marks the job dispatched; a send that fails clears the mark again, so the
 * next pass retries it. A job's secrets are resolved between the commit and the send, on a worker
 * thread; one that cannot be resolved fails the attempt instead.
 */
@ApplicationScoped
public class JobDispatch {

  private static final Logger LOG = Logger.getLogger(JobDispatch.class);

  private final Db db;
  private final WorkerChannel channel;
  private final JobSpecCodec specs;
  private final JobSecrets secrets;
  private final SecretLeases leases;
  private final JobTransitions transitions;
  private final Clock clock;

  public JobDispatch(
      Db db,
      WorkerChannel channel,
      JobSpecCodec specs,
      JobSecrets secrets,
      SecretLeases leases,
      JobTransitions transitions,
      Clock clock) {
    this.db = db;
    this.channel = channel;
    this.specs = specs;
    this.secrets = secrets;
    this.leases = leases;
    this.transitions = transitions;
    this.clock = clock;
  }

  /** A job claimed for dispatch: what to send, and what to resolve first. */
  private record Claimed(
      String workerId, String tenant, JobAssignment assignment, List<JobSecret> secrets) {}

  /** Dispatches every assigned, undispatched job whose worker is connected here. */
  public Uni<Void> dispatchAssigned() {
    Instant now = clock.instant();
    return db.tx(session -> claim(session, now))
        .chain(
            claims -> {
              List<UUID> failed = new ArrayList<>();
              List<Uni<Void>> withSecrets = new ArrayList<>();
              for (Claimed claimed : claims) {
                if (claimed.secrets().isEmpty()) {
                  send(claimed.workerId(), claimed.assignment(), failed);
                } else {
                  withSecrets.add(resolveAndSend(claimed));
                }
              }
              Uni<Void> plain = failed.isEmpty() ? Uni.createFrom().voidItem() : undo(failed);
              return withSecrets.isEmpty()
                  ? plain
                  : plain.chain(() -> Uni.join().all(withSecrets).andFailFast()).replaceWithVoid();
            });
  }

  private Uni<Void> resolveAndSend(Claimed claimed) {
    JobAssignment base = claimed.assignment();
    return blocking(
            () ->
                secrets.resolve(
                    base.jobId(), claimed.tenant(), claimed.workerId(), claimed.secrets()))
        .chain(
            resolved -> {
              Map<String, String> env = new HashMap<>(base.env());
              env.putAll(resolved.env());
              JobAssignment assignment =
                  new JobAssignment(
                      base.jobId(),
                      base.attempt(),
                      base.steps(),
                      env,
                      base.workingDirectory(),
                      base.timeout(),
                      resolved.maskedValues(),
                      resolved.files());
              // Recorded before the send: a crash after it must still find the leases to end.
              return leases
                  .record(
                      base.jobId(),
                      base.attempt(),
                      claimed.tenant(),
                      claimed.workerId(),
                      resolved.leases())
                  // Never recorded, never sent: nothing may keep them.
                  .onFailure()
                  .call(() -> releaseAll(resolved))
                  .chain(
                      recorded -> {
                        if (!recorded) {
                          return releaseAll(resolved); // the attempt ended meanwhile
                        }
                        List<UUID> failed = new ArrayList<>();
                        send(claimed.workerId(), assignment, failed);
                        if (failed.isEmpty()) {
                          secrets.hold(base.jobId(), base.attempt(), resolved.leases());
                          return Uni.createFrom().voidItem();
                        }
                        return undo(failed)
                            .chain(() -> releaseAll(resolved))
                            .chain(() -> leases.forget(base.jobId(), base.attempt()));
                      });
            })
        .onFailure(JobSecrets.SecretFailure.class)
        .recoverWithUni(
            failure ->
                failForSecrets(
                    UUID.fromString(base.jobId()),
                    base.attempt(),
                    (JobSecrets.SecretFailure) failure))
        .onFailure()
        .invoke(
            failure ->
                LOG.warnf(
                    "Dispatching job %s failed; its dispatch deadline applies: %s",
                    base.jobId(), failure.getMessage()))
        // One job's trouble must not cut the pass short for the others.
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  private Uni<Void> releaseAll(JobSecrets.Resolved resolved) {
    return blocking(
        () -> {
          secrets.releaseAll(resolved.leases());
          return null;
        });
  }

  private void send(String workerId, JobAssignment assignment, List<UUID> failed) {
    if (!channel.runJob(workerId, assignment)) {
      failed.add(UUID.fromString(assignment.jobId()));
    } else {
      LOG.debugf("Dispatched %s to worker %s", assignment, workerId);
    }
  }

  /**
   * Ends the attempt whose secrets could not be resolved, and gives its worker back: it never saw
   * the job. A denied or missing secret fails the job for good, since only a change of the spec or
   * the policy helps; an unreachable backend is an infrastructure failure, retried by policy.
   */
  private Uni<Void> failForSecrets(UUID jobId, int attempt, JobSecrets.SecretFailure failure) {
    Instant now = clock.instant();
    LOG.infof("Job %s attempt %d cannot start: %s", jobId, attempt, failure.getMessage());
    return db.tx(
        session ->
            session
                .find(JobEntity.class, jobId, LockModeType.PESSIMISTIC_WRITE)
                .chain(
                    job -> {
                      if (job == null
                          || job.attempt != attempt
                          || job.state != JobState.PROVISIONING
                          || job.dispatchedAt == null) {
                        return Uni.createFrom().voidItem();
                      }
                      UUID workerId = job.workerId;
                      return endAttempt(session, job, failure, now)
                          .chain(() -> giveWorkerBack(session, workerId, jobId, now));
                    }));
  }

  private Uni<Void> endAttempt(
      Mutiny.Session session, JobEntity job, JobSecrets.SecretFailure failure, Instant now) {
    String reason = failure.getMessage();
    if (job.cancelRequestedAt != null) {
      return transitions.move(session, job, JobState.CANCELLED, "cancelled before it started", now);
    }
    if (failure.retryable()) {
      return transitions.failAttempt(
          session, job, FailureKind.INFRASTRUCTURE, JobState.FAILED, reason, null, now);
    }
    job.failureKind = FailureKind.JOB.name();
    return transitions.move(session, job, JobState.FAILED, reason, now);
  }

  private static Uni<Void> giveWorkerBack(
      Mutiny.Session session, UUID workerId, UUID jobId, Instant now) {
    if (workerId == null) {
      return Uni.createFrom().voidItem();
    }
    return session
        .find(WorkerEntity.class, workerId, LockModeType.PESSIMISTIC_WRITE)
        .invoke(
            worker -> {
              if (worker == null || !jobId.equals(worker.jobId)) {
                return;
              }
              worker.jobId = null;
              if (worker.state == WorkerState.BUSY) {
                worker.moveTo(WorkerState.READY, "waiting for its next job", now);
                worker.idleSince = now;
              }
            })
        .replaceWithVoid();
  }

  private static <T> Uni<T> blocking(java.util.function.Supplier<T> work) {
    return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  private Uni<List<Claimed>> claim(Mutiny.Session session, Instant now) {
    return session
        .createNativeQuery(
            "select j.* from jobs j join workers w on w.id = j.worker_id"
                + " where j.state = 'PROVISIONING' and j.dispatched_at is null"
                + " and w.state in ('READY', 'BUSY') for update of j skip locked limit 200",
            JobEntity.class)
        .getResultList()
        .chain(
            jobs -> {
              List<Claimed> claims = new ArrayList<>();
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (JobEntity job : jobs) {
                String workerId = job.workerId.toString();
                if (!channel.isConnected(workerId)) {
                  continue;
                }
                chain =
                    chain.chain(
                        () ->
                            session
                                .find(
                                    WorkerEntity.class,
                                    job.workerId,
                                    LockModeType.PESSIMISTIC_WRITE)
                                .invoke(
                                    worker -> {
                                      if (worker.state == WorkerState.READY) {
                                        worker.moveTo(
                                            WorkerState.BUSY, "running job " + job.id, now);
                                      }
                                      job.dispatchedAt = now;
                                      job.updatedAt = now;
                                      claims.add(claimed(job, workerId));
                                    })
                                .replaceWithVoid());
              }
              return chain.replaceWith(claims);
            });
  }

  private Uni<Void> undo(List<UUID> jobIds) {
    return db.tx(
        session ->
            session
                .createMutationQuery("update JobEntity set dispatchedAt = null where id in :ids")
                .setParameter("ids", jobIds)
                .executeUpdate()
                .replaceWithVoid());
  }

  private Claimed claimed(JobEntity job, String workerId) {
    JobSpec spec = specs.read(job);
    Map<String, String> env = new HashMap<>(spec.env());
    env.put("HODEI_JOB_ID", job.id.toString());
    env.put("HODEI_JOB_ATTEMPT", Integer.toString(job.attempt));
    JobAssignment assignment =
        new JobAssignment(
            job.id.toString(),
            job.attempt,
            spec.steps(),
            env,
            spec.workingDirectory(),
            spec.timeout(),
            List.of(),
            List.of());
    return new Claimed(workerId, job.tenant, assignment, spec.secrets());
  }
}
