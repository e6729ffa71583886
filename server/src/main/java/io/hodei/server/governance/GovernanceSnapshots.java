package io.hodei.server.governance;

import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.GovernanceSnapshot;
import io.hodei.core.governance.snapshot.GovernedPool;
import io.hodei.core.governance.snapshot.IdleWorker;
import io.hodei.core.governance.snapshot.PendingJob;
import io.hodei.core.governance.snapshot.ProviderHealthState;
import io.hodei.core.governance.snapshot.ProviderInstanceInfo;
import io.hodei.core.governance.snapshot.Rate;
import io.hodei.core.governance.snapshot.Reservation;
import io.hodei.core.governance.snapshot.TenantQuota;
import io.hodei.core.workers.WorkerState;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import io.hodei.server.identity.KeycloakConfig;
import io.hodei.server.providers.PoolEntity;
import io.hodei.server.providers.ProviderInstanceEntity;
import io.hodei.server.providers.ProviderInstances;
import io.hodei.server.workers.WorkerEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Reads everything one pass of the resource controller decides on, in one session: pools, the open
 * provider instances with their health and limits, the ledger, the quotas and the idle workers.
 */
@ApplicationScoped
public class GovernanceSnapshots {

  private final ProviderInstances providers;
  private final boolean singleTenant;

  public GovernanceSnapshots(ProviderInstances providers, KeycloakConfig keycloak) {
    this.providers = providers;
    // Without Keycloak every caller is the default tenant: no job can read another tenant's
    // secrets, however its workers are isolated.
    this.singleTenant = keycloak.serverUrl().isEmpty();
  }

  /** The state the controller reads, with {@code pending} as its queue. */
  public Uni<GovernanceSnapshot> load(
      Mutiny.Session session, List<PendingJob> pending, Instant now) {
    // One session runs one query at a time: chain them, never combine them. The reservations are
    // read before the idle workers: under the admission lock, only attempts that end can change
    // them in between, and such an end can only count a worker twice (a wait one pass too long),
    // never leave one uncounted (an admission past a limit).
    return session
        .createSelectionQuery("from PoolEntity order by name", PoolEntity.class)
        .getResultList()
        .chain(
            pools ->
                session
                    .createSelectionQuery(
                        "from ProviderInstanceEntity order by name", ProviderInstanceEntity.class)
                    .getResultList()
                    .chain(
                        instances ->
                            Reservations.all(session)
                                .chain(
                                    reservations ->
                                        quotas(session)
                                            .chain(
                                                quotas ->
                                                    idleWorkers(session, pools, now)
                                                        .map(
                                                            idle ->
                                                                new GovernanceSnapshot(
                                                                    pools.stream()
                                                                        .map(
                                                                            pool ->
                                                                                pool(
                                                                                    pool,
                                                                                    singleTenant))
                                                                        .toList(),
                                                                    open(instances),
                                                                    reservations,
                                                                    quotas,
                                                                    idle,
                                                                    pending))))));
  }

  /** Every stored quota as the controller reads it. */
  public static Uni<List<TenantQuota>> quotas(Mutiny.Session session) {
    return session
        .createSelectionQuery("from TenantQuotaEntity", TenantQuotaEntity.class)
        .getResultList()
        .map(rows -> rows.stream().map(row -> QuotaSpec.of(row).toQuota(row.tenant)).toList());
  }

  /** A pool as its settings describe it. */
  public static GovernedPool pool(PoolEntity pool) {
    return pool(pool, false);
  }

  /** A pool as the controller reads it. */
  private static GovernedPool pool(PoolEntity pool, boolean singleTenant) {
    return new GovernedPool(
        pool.name,
        Labels.read(pool.labels),
        new Amounts(
            cap(pool.cpuMillis),
            cap(pool.memoryMib),
            cap(pool.gpus),
            pool.maxWorkers,
            Amounts.UNLIMITED),
        new Rate(pool.ratePerWorkerHour, pool.ratePerVcpuHour, pool.ratePerGibHour),
        pool.priority,
        pool.state,
        pool.providerInstance,
        Optional.ofNullable(pool.tenant),
        pool.allowUnisolated || singleTenant);
  }

  /** The limits an instance shares among its pools. */
  public static Amounts limits(ProviderInstanceEntity instance) {
    return new Amounts(
        cap(instance.maxCpuMillis),
        cap(instance.maxMemoryMib),
        Amounts.UNLIMITED,
        instance.maxWorkers == null ? Amounts.UNLIMITED : instance.maxWorkers,
        Amounts.UNLIMITED);
  }

  // An instance that is not open is left out: its pools wait with PROVIDER_UNAVAILABLE.
  private List<ProviderInstanceInfo> open(List<ProviderInstanceEntity> instances) {
    return instances.stream()
        .filter(instance -> providers.get(instance.name).isPresent())
        .map(
            instance -> {
              Optional<ProviderHealth> health = providers.health(instance.name);
              return new ProviderInstanceInfo(
                  instance.name,
                  instance.type,
                  ProviderHealthState.of(health),
                  health.map(ProviderHealth::detail).orElse(""),
                  limits(instance),
                  providers.maxPerWorker(instance.name));
            })
        .toList();
  }

  private static Uni<List<IdleWorker>> idleWorkers(
      Mutiny.Session session, List<PoolEntity> pools, Instant now) {
    Map<String, Integer> maxJobs = new HashMap<>();
    pools.forEach(pool -> maxJobs.put(pool.name, pool.maxJobsPerWorker));
    return session
        .createSelectionQuery(
            "from WorkerEntity where state = :ready and jobId is null and releasedAt is null"
                + " order by idleSince",
            WorkerEntity.class)
        .setParameter("ready", WorkerState.READY)
        .getResultList()
        .map(
            workers ->
                workers.stream()
                    .map(worker -> idle(worker, maxJobs.getOrDefault(worker.pool, 0), now))
                    .toList());
  }

  // A worker of unknown shape is never reused: it only holds room until it is retired.
  private static IdleWorker idle(WorkerEntity worker, int maxJobs, Instant now) {
    Optional<WorkerShape> shape = WorkerShape.parse(worker.shape);
    int left = shape.isEmpty() ? 0 : Math.max(0, maxJobs - worker.jobsRun);
    return new IdleWorker(
        worker.id.toString(),
        worker.pool,
        shape.flatMap(WorkerShape::image),
        shape.map(WorkerShape::resources).orElse(Resources.NONE),
        left,
        worker.lifetimeEndsAt == null ? now : worker.lifetimeEndsAt);
  }

  private static long cap(Long value) {
    return value == null ? Amounts.UNLIMITED : value;
  }

  /** Every reservation, for callers outside a pass. */
  public static Uni<List<Reservation>> reservations(Mutiny.Session session) {
    return Reservations.all(session);
  }
}
