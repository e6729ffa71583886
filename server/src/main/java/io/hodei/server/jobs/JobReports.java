package io.hodei.server.jobs;

import io.hodei.core.jobs.FailureKind;
import io.hodei.core.jobs.JobState;
import io.hodei.core.pools.Pool;
import io.hodei.core.workers.WorkerState;
import io.hodei.protocol.v1.JobResult;
import io.hodei.protocol.v1.LogBatch;
import io.hodei.protocol.v1.LogLine;
import io.hodei.server.persistence.Db;
import io.hodei.server.providers.PoolEntity;
import io.hodei.server.workers.WorkerEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Applies what agents report about their jobs: acknowledgements, log batches and results. Every
 * report names the job, the attempt and comes from the worker's own session, so a late report from
 * an attempt that was already given up changes nothing.
 */
@ApplicationScoped
public class JobReports {

  private static final Logger LOG = Logger.getLogger(JobReports.class);

  private final Db db;
  private final JobTransitions transitions;
  private final JobSpecCodec specs;
  private final Clock clock;

  public JobReports(Db db, JobTransitions transitions, JobSpecCodec specs, Clock clock) {
    this.db = db;
    this.transitions = transitions;
    this.specs = specs;
    this.clock = clock;
  }

  /** The agent started the job: it is RUNNING from now, and its deadline starts now. */
  public Uni<Void> acknowledged(String workerId, String jobId, int attempt) {
    Instant now = clock.instant();
    return db.tx(
        session ->
            lockCurrent(session, workerId, jobId, attempt)
                .chain(
                    job -> {
                      if (job == null || job.state != JobState.PROVISIONING) {
                        return Uni.createFrom().voidItem();
                      }
                      job.startedAt = now;
                      job.deadlineAt = now.plus(specs.read(job).timeout());
                      return transitions.move(
                          session, job, JobState.RUNNING, "running on worker " + workerId, now);
                    }));
  }

  /**
   * Stores a batch of lines; lines already stored (a batch resent after a reconnect) are skipped.
   */
  public Uni<Void> logs(String workerId, LogBatch batch) {
    if (batch.getLinesCount() == 0) {
      return Uni.createFrom().voidItem();
    }
    UUID jobId = UUID.fromString(batch.getJobId());
    StringBuilder sql =
        new StringBuilder(
            "insert into job_logs (job_id, attempt, sequence, stream, step, text, at) values ");
    for (int i = 0; i < batch.getLinesCount(); i++) {
      sql.append(i == 0 ? "" : ", ")
          .append("(:job, :attempt, :s")
          .append(i)
          .append(", :st")
          .append(i)
          .append(", :sp")
          .append(i)
          .append(", :t")
          .append(i)
          .append(", :at")
          .append(i)
          .append(")");
    }
    sql.append(" on conflict do nothing");
    return db.tx(
        session -> {
          Mutiny.MutationQuery insert =
              session
                  .createNativeQuery(sql.toString())
                  .setParameter("job", jobId)
                  .setParameter("attempt", batch.getAttempt());
          for (int i = 0; i < batch.getLinesCount(); i++) {
            LogLine line = batch.getLines(i);
            insert
                .setParameter("s" + i, line.getSequence())
                .setParameter("st" + i, line.getStream().name())
                .setParameter("sp" + i, line.getStep())
                .setParameter("t" + i, line.getText())
                .setParameter("at" + i, Instant.ofEpochMilli(line.getTimestampMillis()));
          }
          return insert.executeUpdate().replaceWithVoid();
        });
  }

  /**
   * Ends the attempt with the agent's result, and frees the worker: back to READY when its pool
   * reuses workers and it has jobs left, otherwise TERMINATING. Returns whether anything changed.
   */
  public Uni<Boolean> result(String workerId, JobResult result) {
    Instant now = clock.instant();
    return db.tx(
        session ->
            lockCurrent(session, workerId, result.getJobId(), result.getAttempt())
                .chain(
                    job -> {
                      if (job == null || job.state.isFinal() || job.state == JobState.PENDING) {
                        return Uni.createFrom().item(false);
                      }
                      return apply(session, job, result, now)
                          .chain(() -> releaseWorker(session, workerId, job, now))
                          .replaceWith(true);
                    }));
  }

  private Uni<Void> apply(Mutiny.Session session, JobEntity job, JobResult result, Instant now) {
    String message = result.getMessage();
    return switch (result.getOutcome()) {
      case SUCCEEDED -> {
        job.exitCode = 0;
        // Earlier attempts' failures stay in the events; the job itself did not fail.
        job.failureKind = null;
        yield transitions.move(session, job, JobState.SUCCEEDED, "all steps succeeded", now);
      }
      case FAILED ->
          transitions.failAttempt(
              session,
              job,
              FailureKind.JOB,
              JobState.FAILED,
              message.isEmpty() ? "exited with code " + result.getExitCode() : message,
              result.getExitCode(),
              now);
      case CANCELLED -> {
        job.exitCode = result.getExitCode();
        yield transitions.move(
            session, job, JobState.CANCELLED, orDefault(message, "cancelled"), now);
      }
      case TIMED_OUT -> {
        job.exitCode = result.getExitCode();
        yield transitions.move(
            session, job, JobState.TIMED_OUT, orDefault(message, "timed out"), now);
      }
      default ->
          transitions.failAttempt(
              session,
              job,
              FailureKind.INFRASTRUCTURE,
              JobState.FAILED,
              "the agent could not run the job: " + message,
              null,
              now);
    };
  }

  private Uni<Void> releaseWorker(
      Mutiny.Session session, String workerId, JobEntity job, Instant now) {
    return session
        .find(WorkerEntity.class, UUID.fromString(workerId), LockModeType.PESSIMISTIC_WRITE)
        .chain(
            worker ->
                session
                    .find(PoolEntity.class, worker.pool)
                    .invoke(
                        pool -> freeWorker(worker, pool == null ? null : pool.toPool(), job, now)))
        .replaceWithVoid();
  }

  private static void freeWorker(WorkerEntity worker, Pool pool, JobEntity job, Instant now) {
    if (worker.state.isFinal() || worker.state == WorkerState.TERMINATING) {
      return;
    }
    worker.jobsRun++;
    worker.jobId = null;
    boolean reusable =
        pool != null
            && worker.jobsRun < pool.maxJobsPerWorker()
            && job.state != JobState.CANCELLED
            && job.state != JobState.TIMED_OUT;
    if (reusable) {
      worker.moveTo(WorkerState.READY, "waiting for its next job", now);
      worker.idleSince = now;
    } else {
      worker.moveTo(WorkerState.TERMINATING, "its job ended", now);
    }
    LOG.debugf("Worker %s is %s after job %s", worker.id, worker.state, job.id);
  }

  /** The job, locked, if it is still this worker's current attempt. */
  private static Uni<JobEntity> lockCurrent(
      Mutiny.Session session, String workerId, String jobId, int attempt) {
    return session
        .find(JobEntity.class, UUID.fromString(jobId), LockModeType.PESSIMISTIC_WRITE)
        .map(
            job ->
                job != null
                        && job.attempt == attempt
                        && job.workerId != null
                        && job.workerId.toString().equals(workerId)
                    ? job
                    : null);
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
