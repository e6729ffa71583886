package io.hodei.server.controller;

import io.hodei.core.jobs.JobSpec;
import io.hodei.core.jobs.JobState;
import io.hodei.core.pools.Placement;
import io.hodei.core.pools.PoolAdmission;
import io.hodei.core.pools.PoolSnapshot;
import io.hodei.core.tokens.BootstrapTokens;
import io.hodei.core.workers.WorkerState;
import io.hodei.server.identity.KeycloakConfig;
import io.hodei.server.jobs.JobEntity;
import io.hodei.server.jobs.JobSpecCodec;
import io.hodei.server.jobs.JobTransitions;
import io.hodei.server.persistence.Db;
import io.hodei.server.providers.PoolEntity;
import io.hodei.server.providers.ProviderInstances;
import io.hodei.server.workers.BootstrapTokenEntity;
import io.hodei.server.workers.WorkerEntity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Claims pending jobs and gives each a worker: an idle one of its pool, or a new one whose row and
 * bootstrap token are committed before the provider is asked to start it. A job that cannot be
 * placed stays PENDING with the reason shown to users.
 */
@ApplicationScoped
public class JobPlacement {

  private static final List<WorkerState> ACTIVE =
      List.of(WorkerState.PROVISIONING, WorkerState.READY, WorkerState.BUSY);

  private final Db db;
  private final JobTransitions transitions;
  private final JobSpecCodec specs;
  private final ProviderInstances providers;
  private final WorkerProvisioning provisioning;
  private final ControllerSettings settings;
  private final boolean singleTenant;
  private final Clock clock;

  public JobPlacement(
      Db db,
      JobTransitions transitions,
      JobSpecCodec specs,
      ProviderInstances providers,
      WorkerProvisioning provisioning,
      ControllerSettings settings,
      KeycloakConfig keycloak,
      Clock clock) {
    this.db = db;
    this.transitions = transitions;
    this.specs = specs;
    this.providers = providers;
    this.provisioning = provisioning;
    this.settings = settings;
    // Without Keycloak every caller is the default tenant.
    this.singleTenant = keycloak.serverUrl().isEmpty();
    this.clock = clock;
  }

  /** A worker to start after the transaction that recorded it commits. */
  record NewWorker(UUID workerId, String providerInstance, String bootstrapToken, JobSpec spec) {}

  /** Places what is pending; provisioning calls start after commit and are not waited for. */
  public Uni<Void> placePending() {
    Instant now = clock.instant();
    return db.tx(session -> claimAndPlace(session, now))
        .invoke(workers -> workers.forEach(provisioning::start))
        .replaceWithVoid();
  }

  private Uni<List<NewWorker>> claimAndPlace(Mutiny.Session session, Instant now) {
    return session
        .createNativeQuery(
            "select * from jobs where state = 'PENDING' and next_attempt_at <= :now"
                + " order by next_attempt_at, created_at limit :limit for update skip locked",
            JobEntity.class)
        .setParameter("now", now)
        .setParameter("limit", settings.batchSize())
        .getResultList()
        .chain(
            jobs ->
                Multi.createFrom()
                    .iterable(jobs)
                    .onItem()
                    .transformToUniAndConcatenate(job -> place(session, job, now))
                    .filter(Optional::isPresent)
                    .map(Optional::get)
                    .collect()
                    .asList());
  }

  private Uni<Optional<NewWorker>> place(Mutiny.Session session, JobEntity job, Instant now) {
    if (job.cancelRequestedAt != null) {
      return transitions
          .move(session, job, JobState.CANCELLED, "cancelled before it started", now)
          .replaceWith(Optional.empty());
    }
    JobSpec spec = specs.read(job);
    // Locking the pool row serialises capacity decisions for one pool across servers.
    return session
        .find(PoolEntity.class, job.pool, LockModeType.PESSIMISTIC_WRITE)
        // Another tenant's pool does not exist for this job: it waits with the same reason.
        .map(pool -> pool == null || !pool.servesTenant(job.tenant) ? null : pool)
        .chain(
            pool ->
                snapshot(session, pool, spec, now)
                    .map(snapshot -> new Looked(snapshot, admission(pool, snapshot))))
        .chain(
            looked -> {
              Optional<PoolSnapshot> snapshot = looked.snapshot();
              Placement.Decision decision =
                  looked.admission() instanceof PoolAdmission.Refuse refused
                      ? new Placement.Wait(refused.reason())
                      : Placement.place(job.pool, spec.resources(), snapshot);
              if (decision instanceof Placement.Reuse reuse) {
                return reuse(session, job, UUID.fromString(reuse.workerId()), now)
                    .replaceWith(Optional.<NewWorker>empty());
              }
              if (decision instanceof Placement.Replace replace) {
                return retire(session, job, UUID.fromString(replace.retiredWorkerId()), now)
                    .chain(
                        retired ->
                            retired
                                ? provision(session, job, spec, snapshot.get(), now)
                                    .map(Optional::of)
                                : Uni.createFrom().item(Optional.<NewWorker>empty()));
              }
              if (decision instanceof Placement.Wait wait) {
                if (!wait.reason().equals(job.reason)) {
                  job.reason = wait.reason();
                  job.updatedAt = now;
                }
                return Uni.createFrom().item(Optional.<NewWorker>empty());
              }
              return provision(session, job, spec, snapshot.get(), now).map(Optional::of);
            });
  }

  /** A pool as placement sees it, and whether it may take jobs at all. */
  private record Looked(Optional<PoolSnapshot> snapshot, PoolAdmission.Decision admission) {}

  private PoolAdmission.Decision admission(PoolEntity pool, Optional<PoolSnapshot> snapshot) {
    if (pool == null || snapshot.isEmpty()) {
      return new PoolAdmission.Admit();
    }
    return PoolAdmission.decide(
        pool.name,
        pool.tenant != null,
        pool.allowUnisolated,
        singleTenant,
        snapshot.get().providerHealth());
  }

  private Uni<Optional<PoolSnapshot>> snapshot(
      Mutiny.Session session, PoolEntity pool, JobSpec job, Instant now) {
    if (pool == null) {
      return Uni.createFrom().item(Optional.empty());
    }
    Uni<Long> active =
        session
            .createSelectionQuery(
                "select count(*) from WorkerEntity where pool = :pool and state in :active"
                    + " and releasedAt is null",
                Long.class)
            .setParameter("pool", pool.name)
            .setParameter("active", ACTIVE)
            .getSingleResult();
    // One session runs one query at a time: chain them, never combine them.
    return active.chain(
        count ->
            idleWorkers(session, pool, job, now, true)
                .chain(
                    fitting ->
                        idleWorkers(session, pool, job, now, false)
                            .map(
                                others ->
                                    Optional.of(
                                        new PoolSnapshot(
                                            pool.toPool(),
                                            providers.health(pool.providerInstance),
                                            providers.maxPerWorker(pool.providerInstance),
                                            count.intValue(),
                                            fitting,
                                            others)))));
  }

  /**
   * The longest idle worker that can take {@code job} (same shape, jobs left, lifetime enough for
   * its timeout), or with {@code fitting} false the longest idle one that cannot.
   */
  private Uni<List<String>> idleWorkers(
      Mutiny.Session session, PoolEntity pool, JobSpec job, Instant now, boolean fitting) {
    if (pool.maxJobsPerWorker <= 1) {
      // Such a pool ends every worker after its job: none is ever idle for long.
      return Uni.createFrom().item(List.of());
    }
    String fits = "(shape = :shape and jobsRun < :max and lifetimeEndsAt > :needed)";
    return session
        .createSelectionQuery(
            "select cast(id as String) from WorkerEntity where pool = :pool and state = :ready"
                + " and jobId is null and "
                + (fitting ? fits : "(shape is null or lifetimeEndsAt is null or not " + fits + ")")
                + " order by idleSince",
            String.class)
        .setParameter("pool", pool.name)
        .setParameter("ready", WorkerState.READY)
        .setParameter("shape", WorkerProvisioning.shapeOf(job))
        .setParameter("max", pool.maxJobsPerWorker)
        .setParameter("needed", now.plus(job.timeout()))
        .setMaxResults(1)
        .getResultList();
  }

  /** Retires an idle worker to make room; false if it was taken or ended meanwhile. */
  private Uni<Boolean> retire(Mutiny.Session session, JobEntity job, UUID workerId, Instant now) {
    return session
        .find(WorkerEntity.class, workerId, LockModeType.PESSIMISTIC_WRITE)
        .map(
            worker -> {
              if (worker == null || worker.state != WorkerState.READY || worker.jobId != null) {
                return false;
              }
              worker.moveTo(
                  WorkerState.TERMINATING,
                  "retired to make room in a full pool for job "
                      + job.id
                      + ", which it cannot take (another image or size, or too little lifetime"
                      + " left)",
                  now);
              return true;
            });
  }

  private Uni<Void> reuse(Mutiny.Session session, JobEntity job, UUID workerId, Instant now) {
    return session
        .find(WorkerEntity.class, workerId, LockModeType.PESSIMISTIC_WRITE)
        .chain(
            worker -> {
              worker.jobId = job.id;
              worker.updatedAt = now;
              job.workerId = worker.id;
              job.reason = null;
              return transitions.move(
                  session, job, JobState.PROVISIONING, "assigned to idle worker " + worker.id, now);
            })
        .call(session::flush);
  }

  private Uni<NewWorker> provision(
      Mutiny.Session session, JobEntity job, JobSpec spec, PoolSnapshot pool, Instant now) {
    WorkerEntity worker = new WorkerEntity();
    worker.id = UUID.randomUUID();
    worker.pool = pool.pool().name();
    worker.providerInstance = pool.pool().providerInstance();
    worker.state = WorkerState.PROVISIONING;
    worker.stateReason = "provisioning for job " + job.id;
    worker.handleAttributes = "{}";
    worker.jobId = job.id;
    worker.provisioningDeadline = now.plus(pool.pool().provisioningTimeout());
    worker.shape = WorkerProvisioning.shapeOf(spec);
    worker.lifetimeEndsAt = now.plus(WorkerProvisioning.lifetimeOf(spec));
    worker.createdAt = now;
    worker.updatedAt = now;

    String token = BootstrapTokens.generate("hbt_");
    BootstrapTokenEntity stored = new BootstrapTokenEntity();
    stored.hash = BootstrapTokens.hash(token);
    stored.workerId = worker.id;
    stored.expiresAt = now.plus(settings.bootstrapTokenTtl());
    stored.createdAt = now;

    job.workerId = worker.id;
    return session
        .persist(worker)
        .call(() -> session.persist(stored))
        .call(
            () ->
                transitions.move(
                    session,
                    job,
                    JobState.PROVISIONING,
                    "provisioning worker " + worker.id + " on " + worker.providerInstance,
                    now))
        .call(session::flush)
        .replaceWith(new NewWorker(worker.id, worker.providerInstance, token, spec));
  }
}
