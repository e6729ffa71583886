package io.hodei.core.governance.selection;

import io.hodei.core.governance.decision.ReasonCode;
import io.hodei.core.governance.decision.Refusal;
import io.hodei.core.governance.ledger.Ledger;
import io.hodei.core.governance.ledger.Usage;
import io.hodei.core.governance.quota.QuotaCheck;
import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.Dimension;
import io.hodei.core.governance.snapshot.GovernedPool;
import io.hodei.core.governance.snapshot.ProviderHealthState;
import io.hodei.core.governance.snapshot.ProviderInstanceInfo;
import io.hodei.core.governance.snapshot.TenantQuota;
import java.util.Optional;

/**
 * Whether one pool can take a job now, checked in the order a person would fix things: the pool's
 * state, its provider, the job's size, the tenant's quota, then the room left in the pool and in
 * its provider instance.
 */
public final class PoolCheck {

  private PoolCheck() {}

  /**
   * Why {@code pool} cannot admit a job needing {@code need} for a tenant with {@code quota},
   * ignoring room in the pool and provider; empty when only room remains to be checked.
   */
  public static Optional<Refusal> admission(
      GovernedPool pool,
      ProviderInstanceInfo instance,
      Ledger ledger,
      TenantQuota quota,
      Amounts need) {
    String subject = "pool '" + pool.name() + "'";
    switch (pool.state()) {
      case DISABLED:
        return Optional.of(Refusal.of(ReasonCode.POOL_DISABLED, subject, "is disabled"));
      case DRAINING:
        return Optional.of(
            Refusal.of(ReasonCode.POOL_DRAINING, subject, "is draining and admits no new jobs"));
      default:
        break;
    }
    if (instance == null) {
      return Optional.of(
          Refusal.of(
              ReasonCode.PROVIDER_UNAVAILABLE,
              "provider instance '" + pool.providerInstance() + "'",
              "is not open (missing, failed, or its plugin is not loaded)"));
    }
    if (instance.health() == ProviderHealthState.UNHEALTHY) {
      String detail = instance.healthDetail().isEmpty() ? "" : ": " + instance.healthDetail();
      return Optional.of(
          Refusal.of(
              ReasonCode.PROVIDER_UNHEALTHY,
              "provider instance '" + instance.name() + "'",
              "is unhealthy" + detail));
    }
    if (pool.ownerTenant().isEmpty() && !pool.allowUnisolated() && !instance.isolatesWorkers()) {
      // One tenant's job could read another's secrets there.
      return Optional.of(
          Refusal.of(
              ReasonCode.POOL_UNISOLATED,
              subject,
              "is shared by every tenant but its provider's workers are "
                  + instance.healthDetail()
                  + "; an operator must give the pool a tenant or set its allow-unisolated"));
    }
    Optional<Refusal> tooLarge = tooLarge(pool, instance, need);
    if (tooLarge.isPresent()) {
      return tooLarge;
    }
    return QuotaCheck.check(ledger, quota, pool, need);
  }

  /** Why {@code need} can never fit in {@code pool}; empty when it could once room frees. */
  static Optional<Refusal> tooLarge(
      GovernedPool pool, ProviderInstanceInfo instance, Amounts need) {
    Optional<Dimension> over = pool.capacity().firstExceeded(need);
    if (over.isPresent()) {
      return Optional.of(tooLarge("pool '" + pool.name() + "'", pool.capacity(), need, over.get()));
    }
    over = instance.limits().firstExceeded(need);
    if (over.isPresent()) {
      return Optional.of(
          tooLarge(
              "provider instance '" + instance.name() + "'", instance.limits(), need, over.get()));
    }
    Amounts largest = Amounts.largestWorker(instance.maxPerWorker());
    over = largest.firstExceeded(need);
    if (over.isPresent()) {
      return Optional.of(
          tooLarge(
              "the largest worker of provider instance '" + instance.name() + "'",
              largest,
              need,
              over.get()));
    }
    return Optional.empty();
  }

  private static Refusal tooLarge(String subject, Amounts limit, Amounts need, Dimension d) {
    return Refusal.amounts(ReasonCode.TOO_LARGE_FOR_POOL, subject, d, 0, limit.get(d), need.get(d));
  }

  /**
   * Why the pool or its provider instance has no room for {@code need} now, after {@code freed} (an
   * idle worker to retire) is taken back; empty when it has.
   */
  public static Optional<Refusal> room(
      GovernedPool pool,
      ProviderInstanceInfo instance,
      Ledger ledger,
      Amounts need,
      Amounts freed) {
    Usage inPool = ledger.pool(pool.name());
    Optional<Dimension> over = inPool.firstExceeded(pool.capacity(), need, freed);
    if (over.isPresent()) {
      Dimension d = over.get();
      return Optional.of(
          Refusal.amounts(
              ReasonCode.POOL_FULL,
              "pool '" + pool.name() + "'",
              d,
              inPool.get(d) - freed.get(d),
              pool.capacity().get(d),
              need.get(d)));
    }
    Usage inInstance = ledger.instance(instance.name());
    over = inInstance.firstExceeded(instance.limits(), need, freed);
    if (over.isPresent()) {
      Dimension d = over.get();
      return Optional.of(
          Refusal.amounts(
              ReasonCode.PROVIDER_LIMIT,
              "provider instance '" + instance.name() + "' (shared by its pools)",
              d,
              inInstance.get(d) - freed.get(d),
              instance.limits().get(d),
              need.get(d)));
    }
    return Optional.empty();
  }
}
