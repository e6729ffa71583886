package io.hodei.core.governance.snapshot;

import io.hodei.plugin.api.Resources;
import java.util.Optional;

/**
 * An amount in every governed dimension: a limit, a usage or what one job needs. {@link #UNLIMITED}
 * in a dimension of a limit means that dimension is not capped.
 *
 * @param cpuMillis CPU in millicores
 * @param memoryMib memory in MiB
 * @param gpus GPUs
 * @param workers workers
 * @param jobs running jobs
 */
public record Amounts(long cpuMillis, long memoryMib, long gpus, long workers, long jobs) {

  /** The value of a dimension that has no limit. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  public static final Amounts ZERO = new Amounts(0, 0, 0, 0, 0);
  public static final Amounts NO_LIMIT =
      new Amounts(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED);

  public Amounts {
    if (cpuMillis < 0 || memoryMib < 0 || gpus < 0 || workers < 0 || jobs < 0) {
      throw new IllegalArgumentException("amounts cannot be negative");
    }
  }

  /** What one attempt holds: its resources, one worker and one running job. */
  public static Amounts ofAttempt(Resources resources) {
    return new Amounts(resources.cpuMillis(), resources.memoryMib(), resources.gpus(), 1, 1);
  }

  /** The size of the largest worker a provider can start, as a limit on one job. */
  public static Amounts largestWorker(Resources maxPerWorker) {
    return new Amounts(
        maxPerWorker.cpuMillis(),
        maxPerWorker.memoryMib(),
        maxPerWorker.gpus(),
        UNLIMITED,
        UNLIMITED);
  }

  /** The amount in one dimension. */
  public long get(Dimension dimension) {
    return switch (dimension) {
      case CPU -> cpuMillis;
      case MEMORY -> memoryMib;
      case GPUS -> gpus;
      case WORKERS -> workers;
      case JOBS -> jobs;
    };
  }

  /**
   * The first dimension in which {@code used} plus {@code need} exceeds this limit; empty when it
   * fits.
   */
  public Optional<Dimension> firstExceeded(Amounts used, Amounts need) {
    for (Dimension dimension : Dimension.values()) {
      long limit = get(dimension);
      if (limit != UNLIMITED && used.get(dimension) + need.get(dimension) > limit) {
        return Optional.of(dimension);
      }
    }
    return Optional.empty();
  }

  /** The first dimension in which {@code need} alone exceeds this limit; empty when it fits. */
  public Optional<Dimension> firstExceeded(Amounts need) {
    return firstExceeded(ZERO, need);
  }
}
