package io.hodei.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Latency percentiles by the nearest-rank method: the p-th percentile is the smallest sample that
 * at least p percent of the samples do not exceed. No interpolation, so every value printed was
 * actually observed.
 */
final class Percentiles {

  private final long[] sortedNanos;

  private Percentiles(long[] sortedNanos) {
    this.sortedNanos = sortedNanos;
  }

  static Percentiles of(Collection<Duration> samples) {
    long[] nanos = samples.stream().mapToLong(Duration::toNanos).toArray();
    Arrays.sort(nanos);
    return new Percentiles(nanos);
  }

  int count() {
    return sortedNanos.length;
  }

  /** The percentile {@code p} (0 < p <= 100), or empty when there are no samples. */
  Optional<Duration> at(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("a percentile is in (0, 100], got " + p);
    }
    if (sortedNanos.length == 0) {
      return Optional.empty();
    }
    int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
    return Optional.of(Duration.ofNanos(sortedNanos[Math.max(rank, 1) - 1]));
  }

  /** The percentile in milliseconds with one decimal, or "-" without samples. */
  String millis(double p) {
    return at(p).map(d -> String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e6)).orElse("-");
  }
}
