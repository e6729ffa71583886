package io.hodei.server.controller;

import io.hodei.core.jobs.JobState;
import io.hodei.credentials.Lease;
import io.hodei.credentials.broker.BrokerLease;
import io.hodei.server.jobs.JobEntity;
import io.hodei.server.persistence.Db;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * The secret leases of attempts sent to their workers, kept in table {@code job_secret_leases} as
 * well as in {@link JobSecrets}, so that a crash does not leave dynamic secrets alive until their
 * TTL. When an attempt ends its leases are released and their rows deleted; at start, and on every
 * pass after, rows left by an earlier process are revoked at their backend once their attempt has
 * ended, and kept while it still runs.
 */
@ApplicationScoped
public class SecretLeases {

  private static final Logger LOG = Logger.getLogger(SecretLeases.class);

  private final Db db;
  private final JobSecrets secrets;
  private final Clock clock;

  public SecretLeases(Db db, JobSecrets secrets, Clock clock) {
    this.db = db;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** One row of {@code job_secret_leases}. */
  record Stored(
      String leaseId,
      UUID jobId,
      int attempt,
      String tenant,
      String workerId,
      String reference,
      String backendLeaseId) {}

  /**
   * The recovery after a crash, at once rather than at the first controller pass; not awaited, so
   * that a backend that is down cannot hold up the start (the passes retry it).
   */
  void onStart(@Observes StartupEvent event) {
    releaseEnded()
        .subscribe()
        .with(
            ignored -> {},
            failure ->
                LOG.warnf(
                    "Ending the secret leases left by an earlier server failed; the controller"
                        + " retries: %s",
                    failure.getMessage()));
  }

  /**
   * Records an attempt's leases, unless the attempt ended since it was claimed.
   *
   * @return whether they were recorded; when not, the caller releases them and sends nothing
   */
  public Uni<Boolean> record(
      String jobId, int attempt, String tenant, String workerId, List<BrokerLease> leases) {
    Instant now = clock.instant();
    return db.tx(
        session ->
            session
                .find(JobEntity.class, UUID.fromString(jobId), LockModeType.PESSIMISTIC_READ)
                .chain(
                    job -> {
                      if (ended(job, attempt)) {
                        return Uni.createFrom().item(false);
                      }
                      Uni<Void> chain = Uni.createFrom().voidItem();
                      for (BrokerLease lease : leases) {
                        chain =
                            chain.chain(
                                () ->
                                    insert(session, jobId, attempt, tenant, workerId, lease, now));
                      }
                      return chain.replaceWith(true);
                    }));
  }

  /** Deletes the rows of an attempt whose leases were released (the send failed). */
  public Uni<Void> forget(String jobId, int attempt) {
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        "delete from job_secret_leases where job_id = :job and attempt = :attempt")
                    .setParameter("job", UUID.fromString(jobId))
                    .setParameter("attempt", attempt)
                    .executeUpdate())
        .replaceWithVoid();
  }

  /**
   * Releases the leases of attempts that ended (finished, retried or given up), whichever way they
   * ended: those this process holds through the broker, those an earlier process left at their
   * backend.
   */
  public Uni<Void> releaseEnded() {
    Map<String, Integer> inMemory = secrets.heldAttempts();
    return db.tx(session -> load(session, inMemory.keySet()))
        .chain(
            loaded -> {
              Set<Attempt> ended = new HashSet<>();
              inMemory.forEach(
                  (id, attempt) -> {
                    if (ended(loaded.jobs().get(UUID.fromString(id)), attempt)) {
                      ended.add(new Attempt(UUID.fromString(id), attempt));
                    }
                  });
              for (Stored row : loaded.rows()) {
                if (ended(loaded.jobs().get(row.jobId()), row.attempt())) {
                  ended.add(new Attempt(row.jobId(), row.attempt()));
                }
              }
              if (ended.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              return blocking(() -> release(ended, loaded.rows())).chain(this::delete);
            });
  }

  private record Attempt(UUID jobId, int attempt) {}

  private record Loaded(List<Stored> rows, Map<UUID, JobEntity> jobs) {}

  /** Releases, then says which rows are done with. */
  private List<String> release(Set<Attempt> ended, List<Stored> rows) {
    List<Stored> leftOver = new ArrayList<>();
    for (Stored row : rows) {
      if (ended.contains(new Attempt(row.jobId(), row.attempt()))
          && !secrets.holds(row.jobId().toString(), row.attempt(), row.leaseId())) {
        leftOver.add(row);
      }
    }
    ended.forEach(a -> secrets.release(a.jobId().toString(), a.attempt()));
    List<String> done = new ArrayList<>();
    for (Stored row : rows) {
      if (ended.contains(new Attempt(row.jobId(), row.attempt())) && !leftOver.contains(row)) {
        done.add(row.leaseId());
      }
    }
    // Several holders of one process shared a backend lease: end it with its last holder.
    Set<String> stillUsed = new HashSet<>();
    for (Stored row : rows) {
      if (!ended.contains(new Attempt(row.jobId(), row.attempt()))
          && row.backendLeaseId() != null) {
        stillUsed.add(row.backendLeaseId());
      }
    }
    Set<String> revoked = new HashSet<>();
    for (Stored row : leftOver) {
      String backend = row.backendLeaseId();
      boolean finished =
          backend == null
              || stillUsed.contains(backend)
              || revoked.contains(backend)
              || secrets.revokeLeftOver(
                  row.jobId().toString(),
                  row.tenant(),
                  row.workerId(),
                  row.reference(),
                  row.leaseId(),
                  backend);
      if (finished) {
        if (backend != null && !stillUsed.contains(backend)) {
          revoked.add(backend);
        }
        done.add(row.leaseId());
      }
    }
    if (!leftOver.isEmpty()) {
      LOG.infof(
          "Ended %d secret leases an earlier server left for attempts that are over",
          leftOver.size());
    }
    return done;
  }

  private Uni<Void> delete(List<String> leaseIds) {
    if (leaseIds.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return db.tx(
            session ->
                session
                    .createNativeQuery("delete from job_secret_leases where lease_id in (:ids)")
                    .setParameter("ids", leaseIds)
                    .executeUpdate())
        .replaceWithVoid();
  }

  private static boolean ended(JobEntity job, int attempt) {
    return job == null
        || job.attempt != attempt
        || job.state.isFinal()
        || job.state == JobState.PENDING;
  }

  private Uni<Loaded> load(Mutiny.Session session, Set<String> heldJobs) {
    return session
        .createNativeQuery(
            "select lease_id, job_id, attempt, tenant, worker_id, reference, backend_lease_id"
                + " from job_secret_leases",
            Object[].class)
        .getResultList()
        .chain(
            raw -> {
              List<Stored> rows =
                  raw.stream()
                      .map(
                          r ->
                              new Stored(
                                  (String) r[0],
                                  (UUID) r[1],
                                  ((Number) r[2]).intValue(),
                                  (String) r[3],
                                  (String) r[4],
                                  (String) r[5],
                                  (String) r[6]))
                      .toList();
              Set<UUID> ids = new HashSet<>();
              heldJobs.forEach(id -> ids.add(UUID.fromString(id)));
              rows.forEach(row -> ids.add(row.jobId()));
              if (ids.isEmpty()) {
                return Uni.createFrom().item(new Loaded(rows, Map.of()));
              }
              return session
                  .createQuery("from JobEntity where id in :ids", JobEntity.class)
                  .setParameter("ids", ids)
                  .getResultList()
                  .map(
                      jobs -> {
                        Map<UUID, JobEntity> byId = new HashMap<>();
                        jobs.forEach(job -> byId.put(job.id, job));
                        return new Loaded(rows, byId);
                      });
            });
  }

  private static Uni<Void> insert(
      Mutiny.Session session,
      String jobId,
      int attempt,
      String tenant,
      String workerId,
      BrokerLease lease,
      Instant now) {
    return session
        .createNativeQuery(
            "insert into job_secret_leases (lease_id, job_id, attempt, tenant, worker_id,"
                + " reference, backend_lease_id, granted_at)"
                + " values (:lease, :job, :attempt, :tenant, :worker, :reference, :backend, :at)"
                + " on conflict (lease_id) do nothing")
        .setParameter("lease", lease.id())
        .setParameter("job", UUID.fromString(jobId))
        .setParameter("attempt", attempt)
        .setParameter("tenant", tenant)
        .setParameter("worker", workerId)
        .setParameter("reference", lease.reference().toString())
        .setParameter("backend", lease.secret().lease().flatMap(Lease::id).orElse(null))
        .setParameter("at", now)
        .executeUpdate()
        .replaceWithVoid();
  }

  private static <T> Uni<T> blocking(java.util.function.Supplier<T> work) {
    return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }
}
