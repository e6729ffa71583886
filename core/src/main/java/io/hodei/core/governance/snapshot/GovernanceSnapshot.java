package io.hodei.core.governance.snapshot;

import java.util.List;

/**
 * Everything one pass of the resource controller reads, taken at one moment.
 *
 * @param pools every pool
 * @param providerInstances every provider instance that is open
 * @param reservations the ledger: what every live attempt holds
 * @param quotas tenant quotas; a tenant without one has no caps and weight 1
 * @param idleWorkers ready reusable workers without a job, oldest idle first
 * @param pending the jobs waiting for a worker, in queue order
 */
public record GovernanceSnapshot(
    List<GovernedPool> pools,
    List<ProviderInstanceInfo> providerInstances,
    List<Reservation> reservations,
    List<TenantQuota> quotas,
    List<IdleWorker> idleWorkers,
    List<PendingJob> pending) {

  public GovernanceSnapshot {
    pools = List.copyOf(pools);
    providerInstances = List.copyOf(providerInstances);
    reservations = List.copyOf(reservations);
    quotas = List.copyOf(quotas);
    idleWorkers = List.copyOf(idleWorkers);
    pending = List.copyOf(pending);
  }

  /** The same snapshot with other pending jobs. */
  public GovernanceSnapshot withPending(List<PendingJob> jobs) {
    return new GovernanceSnapshot(
        pools, providerInstances, reservations, quotas, idleWorkers, jobs);
  }
}
