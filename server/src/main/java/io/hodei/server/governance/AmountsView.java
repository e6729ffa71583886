package io.hodei.server.governance;

import io.hodei.core.governance.snapshot.Amounts;

/**
 * Amounts as the API shows them; null in a dimension of a limit means it is not capped.
 *
 * @param cpuMillis CPU in millicores
 * @param memoryMib memory in MiB
 * @param gpus GPUs
 * @param workers workers
 * @param jobs running jobs
 */
public record AmountsView(Long cpuMillis, Long memoryMib, Long gpus, Long workers, Long jobs) {

  public static AmountsView of(Amounts amounts) {
    return new AmountsView(
        shown(amounts.cpuMillis()),
        shown(amounts.memoryMib()),
        shown(amounts.gpus()),
        shown(amounts.workers()),
        shown(amounts.jobs()));
  }

  /** What is left under {@code limit} with {@code used}; null where the limit is not capped. */
  public static AmountsView free(Amounts limit, Amounts used) {
    return new AmountsView(
        left(limit.cpuMillis(), used.cpuMillis()),
        left(limit.memoryMib(), used.memoryMib()),
        left(limit.gpus(), used.gpus()),
        left(limit.workers(), used.workers()),
        left(limit.jobs(), used.jobs()));
  }

  private static Long shown(long value) {
    return value == Amounts.UNLIMITED ? null : value;
  }

  private static Long left(long limit, long used) {
    return limit == Amounts.UNLIMITED ? null : Math.max(0, limit - used);
  }
}
