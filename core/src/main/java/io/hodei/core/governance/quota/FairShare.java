package io.hodei.core.governance.quota;

import io.hodei.core.governance.ledger.Ledger;
import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.Dimension;
import io.hodei.core.governance.snapshot.GovernedPool;
import java.util.List;

/**
 * Dominant resource fairness: a tenant's share is the largest fraction of the total capacity it
 * holds in any dimension, divided by its weight. The tenant with the lowest share is served next.
 */
public final class FairShare {

  private static final Dimension[] SHARED = {
    Dimension.CPU, Dimension.MEMORY, Dimension.GPUS, Dimension.WORKERS
  };

  private final long[] totals = new long[SHARED.length];

  /** Fair shares measured against the capacity of these pools together. */
  public FairShare(List<GovernedPool> pools) {
    for (GovernedPool pool : pools) {
      for (int i = 0; i < SHARED.length; i++) {
        long capacity = pool.capacity().get(SHARED[i]);
        // An unlimited dimension has no total to take a fraction of; it does not count.
        if (capacity != Amounts.UNLIMITED && totals[i] != Amounts.UNLIMITED) {
          totals[i] = Math.addExact(totals[i], capacity);
        }
      }
    }
  }

  /** The weighted dominant share of what a tenant holds. */
  public double share(Ledger ledger, String tenant, double weight) {
    var usage = ledger.tenant(tenant);
    double dominant = 0;
    for (int i = 0; i < SHARED.length; i++) {
      if (totals[i] > 0) {
        dominant = Math.max(dominant, (double) usage.get(SHARED[i]) / totals[i]);
      }
    }
    return dominant / weight;
  }
}
