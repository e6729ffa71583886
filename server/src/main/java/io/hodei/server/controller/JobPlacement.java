package io.hodei.server.controller;

import io.hodei.core.governance.GlobalResourceController;
import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.snapshot.PendingJob;
import io.hodei.core.governance.snapshot.Reservation.Claim;
import io.hodei.core.jobs.JobSpec;
import io.hodei.core.jobs.JobState;
import io.hodei.core.tokens.BootstrapTokens;
import io.hodei.core.workers.WorkerState;
import io.hodei.server.governance.GovernanceSettings;
import io.hodei.server.governance.GovernanceSnapshots;
import io.hodei.server.governance.Reservations;
import io.hodei.server.jobs.JobEntity;
import io.hodei.server.jobs.JobSpecCodec;
import io.hodei.server.jobs.JobTransitions;
import io.hodei.server.jobs.WaitReason;
import io.hodei.server.persistence.Db;
import io.hodei.server.providers.PoolEntity;
import io.hodei.server.workers.BootstrapTokenEntity;
import io.hodei.server.workers.WorkerEntity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Claims a batch of pending jobs and lets the global resource controller decide them all against
 * one snapshot; then applies every decision in the same transaction: the ledger's reservation, the
 * worker row and its bootstrap token are committed before the provider is asked to start it. A job
 * that cannot be placed stays PENDING with its wait reason shown to users.
 */
@ApplicationScoped
public class JobPlacement {

  /**
   * The advisory lock that serialises admission across servers on one database. Quotas and provider
   * limits span pools, so no row lock covers them: two servers deciding at once on the same
   * snapshot would both admit into the last free slot. Holding one transaction-scoped lock for the
   * whole pass makes each pass see the reservations of the last one; it is released by the commit.
   * A server that finds it taken skips its pass: the other is placing, and the resync retries.
   */
  static final long ADMISSION_LOCK = 0x486f_6465_6947_5243L;

  private final Db db;
  private final JobTransitions transitions;
  private final JobSpecCodec specs;
  private final GovernanceSnapshots snapshots;
  private final GlobalResourceController grc;
  private final WorkerProvisioning provisioning;
  private final ControllerSettings settings;
  private final Clock clock;

  public JobPlacement(
      Db db,
      JobTransitions transitions,
      JobSpecCodec specs,
      GovernanceSnapshots snapshots,
      GovernanceSettings governance,
      WorkerProvisioning provisioning,
      ControllerSettings settings,
      Clock clock) {
    this.db = db;
    this.transitions = transitions;
    this.specs = specs;
    this.snapshots = snapshots;
    this.grc = new GlobalResourceController(governance.strategy());
    this.provisioning = provisioning;
    this.settings = settings;
    this.clock = clock;
  }

  /** A worker to start after the transaction that recorded it commits. */
  record NewWorker(UUID workerId, String providerInstance, String bootstrapToken, JobSpec spec) {}

  /** A claimed job with its spec. */
  private record Claimed(JobEntity job, JobSpec spec) {}

  /** Places what is pending; provisioning calls start after commit and are not waited for. */
  public Uni<Void> placePending() {
    Instant now = clock.instant();
    return db.tx(
            session ->
                tryAdmissionLock(session)
                    .chain(
                        locked ->
                            locked
                                ? retireDrainingIdle(session, now)
                                    .chain(() -> deleteDrainedPools(session))
                                    .chain(() -> claimAndPlace(session, now))
                                : Uni.createFrom().item(List.<NewWorker>of())))
        .invoke(workers -> workers.forEach(provisioning::start))
        .replaceWithVoid();
  }

  /** Takes the admission lock for this transaction, or answers false if another server has it. */
  static Uni<Boolean> tryAdmissionLock(Mutiny.Session session) {
    return session
        .createNativeQuery("select pg_try_advisory_xact_lock(:key)", Boolean.class)
        .setParameter("key", ADMISSION_LOCK)
        .getSingleResult();
  }

  /** Waits for the admission lock for this transaction. */
  public static Uni<Void> admissionLock(Mutiny.Session session) {
    return session
        .createNativeQuery("select cast(pg_advisory_xact_lock(:key) as text)", String.class)
        .setParameter("key", ADMISSION_LOCK)
        .getSingleResult()
        .replaceWithVoid();
  }

  // A draining pool admits nothing: its idle workers will never be reused, so they go now.
  private static Uni<Integer> retireDrainingIdle(Mutiny.Session session, Instant now) {
    return session
        .createNativeQuery(
            "update workers set state = 'TERMINATING', state_reason = 'its pool is draining',"
                + " updated_at = :now where state = 'READY' and job_id is null and released_at is"
                + " null and pool in (select name from pools where state = 'DRAINING')")
        .setParameter("now", now)
        .executeUpdate();
  }

  // A draining pool is deleted once nothing holds room in it and its last worker is released.
  private static Uni<Integer> deleteDrainedPools(Mutiny.Session session) {
    return session
        .createNativeQuery(
            "delete from pools p where p.state = 'DRAINING'"
                + " and not exists (select 1 from reservations r where r.pool = p.name)"
                + " and not exists (select 1 from workers w where w.pool = p.name"
                + " and w.released_at is null)")
        .executeUpdate();
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
        .chain(jobs -> cancelRequested(session, jobs, now))
        .chain(
            claimed -> {
              if (claimed.isEmpty()) {
                return Uni.createFrom().item(List.<NewWorker>of());
              }
              List<PendingJob> pending = new ArrayList<>(claimed.size());
              Map<String, Claimed> byId = new HashMap<>();
              for (Claimed c : claimed) {
                pending.add(
                    PendingJob.of(
                        c.job().id.toString(), c.job().tenant, c.spec(), c.job().createdAt));
                byId.put(c.job().id.toString(), c);
              }
              return snapshots
                  .load(session, pending, now)
                  .map(snapshot -> grc.decide(snapshot, clock))
                  .chain(
                      decisions ->
                          Multi.createFrom()
                              .iterable(decisions)
                              .onItem()
                              .transformToUniAndConcatenate(
                                  decision ->
                                      apply(session, byId.get(decision.jobId()), decision, now))
                              .filter(Optional::isPresent)
                              .map(Optional::get)
                              .collect()
                              .asList());
            });
  }

  // A job cancelled while pending ends here; the others are decided.
  private Uni<List<Claimed>> cancelRequested(
      Mutiny.Session session, List<JobEntity> jobs, Instant now) {
    List<Claimed> claimed = new ArrayList<>();
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (JobEntity job : jobs) {
      if (job.cancelRequestedAt != null) {
        chain =
            chain.chain(
                () ->
                    transitions.move(
                        session, job, JobState.CANCELLED, "cancelled before it started", now));
      } else {
        claimed.add(new Claimed(job, specs.read(job)));
      }
    }
    return chain.replaceWith(claimed);
  }

  private Uni<Optional<NewWorker>> apply(
      Mutiny.Session session, Claimed claimed, Decision decision, Instant now) {
    JobEntity job = claimed.job();
    if (decision instanceof Decision.Reuse reuse) {
      return reuse(session, job, UUID.fromString(reuse.workerId()), reuse.claim(), now)
          .replaceWith(Optional.<NewWorker>empty());
    }
    if (decision instanceof Decision.Provision provision) {
      Uni<Boolean> room =
          provision.retireWorkerId().isEmpty()
              ? Uni.createFrom().item(true)
              : retire(session, job, UUID.fromString(provision.retireWorkerId().get()), now);
      return room.chain(
          retired ->
              retired
                  ? provision(session, job, claimed.spec(), provision.claim(), now)
                  : Uni.createFrom().item(Optional.<NewWorker>empty()));
    }
    Decision.Wait wait = (Decision.Wait) decision;
    String stored = WaitReason.of(wait).toJson();
    if (!wait.message().equals(job.reason) || !stored.equals(job.waitReason)) {
      job.reason = wait.message();
      job.waitReason = stored;
      job.updatedAt = now;
    }
    return Uni.createFrom().item(Optional.<NewWorker>empty());
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

  private Uni<Void> reuse(
      Mutiny.Session session, JobEntity job, UUID workerId, Claim claim, Instant now) {
    return session
        .find(WorkerEntity.class, workerId, LockModeType.PESSIMISTIC_WRITE)
        .chain(
            worker -> {
              if (worker == null || worker.state != WorkerState.READY || worker.jobId != null) {
                // Taken or ended since the snapshot: the job stays pending for the next pass.
                return Uni.createFrom().voidItem();
              }
              worker.jobId = job.id;
              worker.updatedAt = now;
              admitted(job, claim);
              job.workerId = worker.id;
              return Reservations.reserve(session, job.id, job.attempt, claim, now)
                  .chain(
                      () ->
                          transitions.move(
                              session,
                              job,
                              JobState.PROVISIONING,
                              "assigned to idle worker " + worker.id,
                              now));
            })
        .call(session::flush);
  }

  private Uni<Optional<NewWorker>> provision(
      Mutiny.Session session, JobEntity job, JobSpec spec, Claim claim, Instant now) {
    return session
        .find(PoolEntity.class, claim.pool())
        .chain(
            pool -> {
              if (pool == null) {
                // Deleted since the snapshot: the job stays pending for the next pass.
                return Uni.createFrom().item(Optional.<NewWorker>empty());
              }
              WorkerEntity worker = new WorkerEntity();
              worker.id = UUID.randomUUID();
              worker.pool = claim.pool();
              worker.providerInstance = claim.providerInstance();
              worker.state = WorkerState.PROVISIONING;
              worker.stateReason = "provisioning for job " + job.id;
              worker.handleAttributes = "{}";
              worker.jobId = job.id;
              worker.provisioningDeadline = now.plus(pool.toPool().provisioningTimeout());
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

              admitted(job, claim);
              job.workerId = worker.id;
              return session
                  .persist(worker)
                  .call(() -> session.persist(stored))
                  .call(() -> Reservations.reserve(session, job.id, job.attempt, claim, now))
                  .call(
                      () ->
                          transitions.move(
                              session,
                              job,
                              JobState.PROVISIONING,
                              "provisioning worker " + worker.id + " on " + worker.providerInstance,
                              now))
                  .call(session::flush)
                  .replaceWith(
                      Optional.of(new NewWorker(worker.id, worker.providerInstance, token, spec)));
            });
  }

  // The pool chosen for this attempt is the job's pool from now on; it no longer waits.
  private static void admitted(JobEntity job, Claim claim) {
    job.pool = claim.pool();
    job.waitReason = null;
  }
}
