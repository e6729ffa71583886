package io.hodei.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The controller's placement passes as the jobs' events reveal them: how many passes placed the
 * jobs, how many each placed, and how long from one pass's start to the next.
 *
 * @param count passes that placed at least one of the jobs
 * @param meanBatch jobs placed per pass, on average
 * @param maxBatch the most jobs one pass placed
 * @param interval time between the starts of consecutive passes
 */
record PlacementPasses(int count, double meanBatch, int maxBatch, Percentiles interval) {

  static PlacementPasses of(Map<Instant, Integer> passes) {
    List<Instant> starts = new ArrayList<>(passes.keySet());
    starts.sort(null);
    List<Duration> intervals = new ArrayList<>();
    for (int i = 1; i < starts.size(); i++) {
      intervals.add(Duration.between(starts.get(i - 1), starts.get(i)));
    }
    int total = passes.values().stream().mapToInt(Integer::intValue).sum();
    return new PlacementPasses(
        passes.size(),
        passes.isEmpty() ? 0 : total / (double) passes.size(),
        passes.values().stream().mapToInt(Integer::intValue).max().orElse(0),
        Percentiles.of(intervals));
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "%d passes, %.1f jobs per pass on average (max %d), %s / %s ms between pass starts"
            + " (p50 / p99)",
        count,
        meanBatch,
        maxBatch,
        interval.millis(50),
        interval.millis(99));
  }
}
