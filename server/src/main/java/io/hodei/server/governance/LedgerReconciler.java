package io.hodei.server.governance;

import io.hodei.core.governance.ledger.LiveAttempt;
import io.hodei.core.governance.ledger.Reconciliation;
import io.hodei.core.governance.snapshot.Reservation;
import io.hodei.core.governance.snapshot.Reservation.Claim;
import io.hodei.core.jobs.JobState;
import io.hodei.server.controller.JobPlacement;
import io.hodei.server.jobs.JobEntity;
import io.hodei.server.jobs.JobSpecCodec;
import io.hodei.server.persistence.Db;
import io.hodei.server.providers.PoolEntity;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Brings the ledger back in line with the live attempts, at start and periodically, so that a crash
 * between an attempt's end and its release, or any missed release, leaks no capacity: reservations
 * of attempts that ended are released, and live attempts without one get one. Also applies the
 * quotas declared in configuration at start.
 */
@ApplicationScoped
public class LedgerReconciler {

  private static final Logger LOG = Logger.getLogger(LedgerReconciler.class);

  private final Db db;
  private final JobSpecCodec specs;
  private final GovernanceSettings settings;
  private final Clock clock;

  public LedgerReconciler(Db db, JobSpecCodec specs, GovernanceSettings settings, Clock clock) {
    this.db = db;
    this.specs = specs;
    this.settings = settings;
    this.clock = clock;
  }

  void onStart(@Observes @Priority(60) StartupEvent event) {
    db.tx(this::applyDeclaredQuotas).await().atMost(Duration.ofMinutes(1));
    reconcile().await().atMost(Duration.ofMinutes(1));
  }

  @Scheduled(
      every = "${hodei.governance.reconcile-interval:30s}",
      delayed = "${hodei.governance.reconcile-interval:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> periodically() {
    return reconcile()
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.warn("Reconciling the ledger failed; the next run retries", failure);
              return null;
            })
        .replaceWithVoid();
  }

  /** Reconciles once; what it changed. */
  public Uni<Reconciliation> reconcile() {
    Instant now = clock.instant();
    return db.tx(
            session ->
                // No admission may run meanwhile: it would add reservations this pass has not read.
                JobPlacement.admissionLock(session)
                    .chain(() -> Reservations.all(session))
                    .chain(
                        reservations ->
                            liveAttempts(session)
                                .map(live -> Reconciliation.of(reservations, live)))
                    .call(fix -> apply(session, fix, now)))
        .invoke(
            fix -> {
              if (!fix.clean()) {
                LOG.infof(
                    "Ledger reconciled: released %d reservation(s) of ended attempts, recorded %d"
                        + " missing",
                    fix.orphaned().size(), fix.missing().size());
              }
            });
  }

  private Uni<List<LiveAttempt>> liveAttempts(Mutiny.Session session) {
    return session
        .createSelectionQuery("from PoolEntity", PoolEntity.class)
        .getResultList()
        .chain(
            pools -> {
              Map<String, String> instanceOfPool = new HashMap<>();
              pools.forEach(pool -> instanceOfPool.put(pool.name, pool.providerInstance));
              return session
                  .createSelectionQuery(
                      "select j, w.providerInstance from JobEntity j left join WorkerEntity w"
                          + " on w.id = j.workerId where j.state in :live",
                      Object[].class)
                  .setParameter("live", List.of(JobState.PROVISIONING, JobState.RUNNING))
                  .getResultList()
                  .map(
                      rows ->
                          rows.stream()
                              .map(
                                  row -> {
                                    JobEntity job = (JobEntity) row[0];
                                    String instance =
                                        row[1] != null
                                            ? (String) row[1]
                                            : instanceOfPool.getOrDefault(job.pool, "");
                                    Claim claim =
                                        Reservations.normalized(
                                            new Claim(
                                                job.pool,
                                                instance,
                                                job.tenant,
                                                specs.read(job).resources()));
                                    return new LiveAttempt(
                                        Reservations.attemptId(job.id, job.attempt), claim);
                                  })
                              .toList());
            });
  }

  private static Uni<Void> apply(Mutiny.Session session, Reconciliation fix, Instant now) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Reservation orphan : fix.orphaned()) {
      chain = chain.call(() -> release(session, orphan));
    }
    for (Reservation missing : fix.missing()) {
      chain =
          chain.call(
              () -> {
                String[] id = missing.attemptId().split("#");
                return Reservations.reserve(
                    session, UUID.fromString(id[0]), Integer.parseInt(id[1]), missing.claim(), now);
              });
    }
    return chain;
  }

  private static Uni<Integer> release(Mutiny.Session session, Reservation reservation) {
    String[] id = reservation.attemptId().split("#");
    return Reservations.release(session, UUID.fromString(id[0]), Integer.parseInt(id[1]));
  }

  private Uni<Void> applyDeclaredQuotas(Mutiny.Session session) {
    Instant now = clock.instant();
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Map.Entry<String, GovernanceSettings.DeclaredQuota> declared :
        settings.quotas().entrySet()) {
      GovernanceSettings.DeclaredQuota quota = declared.getValue();
      QuotaSpec spec =
          new QuotaSpec(
              quota.cpuMillis().orElse(null),
              quota.memoryMib().orElse(null),
              quota.gpus().orElse(null),
              quota.workers().orElse(null),
              quota.jobs().orElse(null),
              quota.weight(),
              List.of());
      chain =
          chain.chain(
              () ->
                  session
                      .find(TenantQuotaEntity.class, declared.getKey())
                      .chain(
                          found -> {
                            TenantQuotaEntity entity =
                                found == null ? new TenantQuotaEntity() : found;
                            entity.tenant = declared.getKey();
                            spec.applyTo(entity);
                            entity.updatedAt = now;
                            if (found == null) {
                              entity.createdAt = now;
                              LOG.infof("Declared the quota of tenant %s", entity.tenant);
                              return session.persist(entity);
                            }
                            return Uni.createFrom().voidItem();
                          }));
    }
    return chain;
  }
}
