package io.hodei.core.governance.selection;

import io.hodei.core.governance.ledger.Usage;
import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.Dimension;
import io.hodei.core.governance.snapshot.GovernedPool;
import java.util.Comparator;

/**
 * The order in which pools that can take a job now are preferred: higher priority; then a pool with
 * an idle worker that can run it as it is; then the strategy (busiest first to bin-pack, least busy
 * first to spread); then the cheaper per hour; then the healthier provider; then the name, so that
 * equal pools are always chosen the same way.
 */
public final class PoolRanking {

  private static final Dimension[] MEASURED = {
    Dimension.CPU, Dimension.MEMORY, Dimension.GPUS, Dimension.WORKERS
  };

  private PoolRanking() {}

  /** The comparator for {@code strategy}, best candidate first. */
  public static Comparator<Candidate> order(PlacementStrategy strategy) {
    Comparator<Candidate> byBusy = Comparator.comparingDouble(Candidate::busy);
    return Comparator.comparingInt((Candidate c) -> -c.pool().priority())
        .thenComparing(c -> c.reuse().isEmpty())
        .thenComparing(strategy == PlacementStrategy.BIN_PACK ? byBusy.reversed() : byBusy)
        .thenComparingDouble(Candidate::costPerHour)
        .thenComparing(c -> c.instance().health())
        .thenComparing(c -> c.pool().name());
  }

  /** A pool's largest used fraction of its capacity in any capped dimension. */
  public static double busy(GovernedPool pool, Usage usage) {
    double busiest = 0;
    for (Dimension dimension : MEASURED) {
      long capacity = pool.capacity().get(dimension);
      if (capacity != Amounts.UNLIMITED && capacity > 0) {
        busiest = Math.max(busiest, (double) usage.get(dimension) / capacity);
      }
    }
    return busiest;
  }
}
