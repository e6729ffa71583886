package io.hodei.core.jobs;

import java.time.Duration;
import java.util.Optional;

/**
 * How often a job is tried, and after which failures.
 *
 * @param maxAttempts attempts in all, the first included; 1 means never retry
 * @param initialBackoff the wait before the second attempt; it doubles each time
 * @param maxBackoff the longest wait between attempts
 * @param retryJobFailures whether a non-zero exit code is retried too (off by default)
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, boolean retryJobFailures) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofMinutes(1), false);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("backoff cannot be negative");
    }
  }

  /**
   * The wait before the next attempt after attempt {@code attempt} (1-based) failed with {@code
   * kind}, or empty when the job should fail for good.
   */
  public Optional<Duration> retryAfter(int attempt, FailureKind kind) {
    if (attempt >= maxAttempts || (kind == FailureKind.JOB && !retryJobFailures)) {
      return Optional.empty();
    }
    long factor = 1L << Math.min(attempt - 1, 20);
    Duration wait = initialBackoff.multipliedBy(factor);
    return Optional.of(wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait);
  }
}
