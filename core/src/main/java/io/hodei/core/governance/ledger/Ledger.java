package io.hodei.core.governance.ledger;

import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.GovernanceSnapshot;
import io.hodei.core.governance.snapshot.GovernedPool;
import io.hodei.core.governance.snapshot.IdleWorker;
import io.hodei.core.governance.snapshot.LabelQuota;
import io.hodei.core.governance.snapshot.Reservation.Claim;
import io.hodei.core.governance.snapshot.TenantQuota;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The capacity ledger in memory: what every pool, provider instance and tenant (overall and per
 * label quota) holds. A pass starts it from a snapshot and reserves as it admits jobs, so a job
 * admitted first counts against the next.
 */
public final class Ledger {

  private final Map<String, GovernedPool> pools;
  private final Map<String, TenantQuota> quotas;
  private final Map<String, Usage> byPool = new HashMap<>();
  private final Map<String, Usage> byInstance = new HashMap<>();
  private final Map<String, Usage> byTenant = new HashMap<>();
  private final Map<String, Usage[]> byTenantLabel = new HashMap<>();

  /** A ledger holding the snapshot's reservations and idle workers. */
  public static Ledger of(GovernanceSnapshot snapshot) {
    Map<String, GovernedPool> pools = new HashMap<>();
    snapshot.pools().forEach(pool -> pools.put(pool.name(), pool));
    Map<String, TenantQuota> quotas = new HashMap<>();
    snapshot.quotas().forEach(quota -> quotas.put(quota.tenant(), quota));
    Ledger ledger = new Ledger(pools, quotas);
    snapshot.reservations().forEach(reservation -> ledger.reserve(reservation.claim()));
    snapshot.idleWorkers().forEach(ledger::holdIdle);
    return ledger;
  }

  private Ledger(Map<String, GovernedPool> pools, Map<String, TenantQuota> quotas) {
    this.pools = pools;
    this.quotas = quotas;
  }

  /** Counts {@code claim} against its pool, provider instance and tenant. */
  public void reserve(Claim claim) {
    Amounts amounts = claim.amounts();
    pool(claim.pool()).add(amounts);
    instance(claim.providerInstance()).add(amounts);
    tenant(claim.tenant()).add(amounts);
    forEachLabelQuota(claim, usage -> usage.add(amounts));
  }

  /** Takes {@code claim} back from its pool, provider instance and tenant. */
  public void release(Claim claim) {
    Amounts amounts = claim.amounts();
    pool(claim.pool()).subtract(amounts);
    instance(claim.providerInstance()).subtract(amounts);
    tenant(claim.tenant()).subtract(amounts);
    forEachLabelQuota(claim, usage -> usage.subtract(amounts));
  }

  /** Counts an idle worker's size and the worker itself against its pool and instance. */
  public void holdIdle(IdleWorker worker) {
    GovernedPool pool = pools.get(worker.pool());
    Amounts amounts = idleAmounts(worker);
    pool(worker.pool()).add(amounts);
    if (pool != null) {
      instance(pool.providerInstance()).add(amounts);
    }
  }

  /** Takes an idle worker back, when it is reused or retired. */
  public void releaseIdle(IdleWorker worker) {
    GovernedPool pool = pools.get(worker.pool());
    Amounts amounts = idleAmounts(worker);
    pool(worker.pool()).subtract(amounts);
    if (pool != null) {
      instance(pool.providerInstance()).subtract(amounts);
    }
  }

  /** What an idle worker holds: its size and one worker, but no running job. */
  public static Amounts idleAmounts(IdleWorker worker) {
    return new Amounts(
        worker.resources().cpuMillis(),
        worker.resources().memoryMib(),
        worker.resources().gpus(),
        1,
        0);
  }

  /** What a pool holds. */
  public Usage pool(String name) {
    return byPool.computeIfAbsent(name, key -> new Usage());
  }

  /** What a provider instance holds over all its pools. */
  public Usage instance(String name) {
    return byInstance.computeIfAbsent(name, key -> new Usage());
  }

  /** What a tenant holds over all pools. */
  public Usage tenant(String name) {
    return byTenant.computeIfAbsent(name, key -> new Usage());
  }

  /** What a tenant holds in the pools of its {@code index}th label quota. */
  public Usage tenantLabel(String tenant, int index) {
    return labelUsages(tenant)[index];
  }

  private Usage[] labelUsages(String tenant) {
    return byTenantLabel.computeIfAbsent(
        tenant,
        key -> {
          TenantQuota quota = quotas.get(key);
          int size = quota == null ? 0 : quota.perLabel().size();
          Usage[] usages = new Usage[size];
          for (int i = 0; i < size; i++) {
            usages[i] = new Usage();
          }
          return usages;
        });
  }

  private void forEachLabelQuota(Claim claim, java.util.function.Consumer<Usage> action) {
    TenantQuota quota = quotas.get(claim.tenant());
    GovernedPool pool = pools.get(claim.pool());
    if (quota == null || pool == null || quota.perLabel().isEmpty()) {
      return;
    }
    Usage[] usages = labelUsages(claim.tenant());
    List<LabelQuota> perLabel = quota.perLabel();
    for (int i = 0; i < perLabel.size(); i++) {
      if (pool.matches(perLabel.get(i).selector())) {
        action.accept(usages[i]);
      }
    }
  }
}
