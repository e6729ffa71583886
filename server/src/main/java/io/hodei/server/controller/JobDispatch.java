package io.hodei.server.controller;

import io.hodei.core.jobs.JobAssignment;
import io.hodei.core.jobs.JobSpec;
import io.hodei.core.jobs.WorkerChannel;
import io.hodei.core.workers.WorkerState;
import io.hodei.server.jobs.JobEntity;
import io.hodei.server.jobs.JobSpecCodec;
import io.hodei.server.persistence.Db;
import io.hodei.server.workers.WorkerEntity;
import io.smallrye.mutiny.Uni;
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
 * next pass retries it.
 */
@ApplicationScoped
public class JobDispatch {

  private static final Logger LOG = Logger.getLogger(JobDispatch.class);

  private final Db db;
  private final WorkerChannel channel;
  private final JobSpecCodec specs;
  private final Clock clock;

  public JobDispatch(Db db, WorkerChannel channel, JobSpecCodec specs, Clock clock) {
    this.db = db;
    this.channel = channel;
    this.specs = specs;
    this.clock = clock;
  }

  /** Dispatches every assigned, undispatched job whose worker is connected here. */
  public Uni<Void> dispatchAssigned() {
    Instant now = clock.instant();
    return db.tx(session -> claim(session, now))
        .chain(
            sends -> {
              List<UUID> failed = new ArrayList<>();
              sends.forEach(
                  (workerId, assignment) -> {
                    if (!channel.runJob(workerId, assignment)) {
                      failed.add(UUID.fromString(assignment.jobId()));
                    } else {
                      LOG.debugf("Dispatched %s to worker %s", assignment, workerId);
                    }
                  });
              return failed.isEmpty() ? Uni.createFrom().voidItem() : undo(failed);
            });
  }

  private Uni<Map<String, JobAssignment>> claim(Mutiny.Session session, Instant now) {
    return session
        .createNativeQuery(
            "select j.* from jobs j join workers w on w.id = j.worker_id"
                + " where j.state = 'PROVISIONING' and j.dispatched_at is null"
                + " and w.state in ('READY', 'BUSY') for update of j skip locked limit 200",
            JobEntity.class)
        .getResultList()
        .chain(
            jobs -> {
              Map<String, JobAssignment> sends = new HashMap<>();
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
                                      sends.put(workerId, assignment(job));
                                    })
                                .replaceWithVoid());
              }
              return chain.replaceWith(sends);
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

  private JobAssignment assignment(JobEntity job) {
    JobSpec spec = specs.read(job);
    Map<String, String> env = new HashMap<>(spec.env());
    env.put("HODEI_JOB_ID", job.id.toString());
    env.put("HODEI_JOB_ATTEMPT", Integer.toString(job.attempt));
    return new JobAssignment(
        job.id.toString(),
        job.attempt,
        spec.steps(),
        env,
        spec.workingDirectory(),
        spec.timeout(),
        List.of());
  }
}
