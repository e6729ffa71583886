package io.hodei.credentials.broker;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How often and how patiently the broker retries a backend call that failed with a retryable kind
 * (throttled, unavailable, timeout): exponential backoff, capped, with jitter so that many brokers
 * do not retry in step.
 *
 * @param maxAttempts attempts in all, the first included; at least 1
 * @param initialBackoff the wait before the second attempt
 * @param maxBackoff the longest single wait
 * @param jitter the share of each wait that is random, 0 (none) to 1 (anything from zero)
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts is at least 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 <= initial <= max: " + initialBackoff + ", " + maxBackoff);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter is between 0 and 1: " + jitter);
    }
  }

  /** Four attempts, 200 ms doubling to at most 5 s, half of each wait random. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5), 0.5);
  }

  /**
   * The wait after failed attempt {@code attempt} (1-based): {@code initial * 2^(attempt-1)} capped
   * at {@code maxBackoff}, of which the {@code jitter} share is scaled by {@code random} in [0, 1).
   */
  public Duration backoff(int attempt, DoubleSupplier random) {
    long base = initialBackoff.toMillis();
    int shift = Math.min(attempt - 1, 30);
    long exponential = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
    long capped = Math.min(exponential, maxBackoff.toMillis());
    long fixed = Math.round(capped * (1 - jitter));
    long random1 = Math.round(capped * jitter * random.getAsDouble());
    return Duration.ofMillis(fixed + random1);
  }
}
