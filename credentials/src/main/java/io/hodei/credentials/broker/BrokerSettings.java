package io.hodei.credentials.broker;

import java.time.Duration;

/**
 * How the broker caches and refreshes.
 *
 * @param unleasedTtl how long a value without a backend lease (a KV secret) is cached before it is
 *     read again; this bounds how late a rotation in the backend is noticed
 * @param refreshAt the share of a value's lifetime after which the broker refreshes it, e.g. 2/3
 * @param maxStaleness how long past its expiry the last good value is still served while the
 *     backend cannot be reached; after that, fetches fail
 * @param refreshRetryInterval the wait before a failed background refresh is tried again
 * @param retry how each backend call is retried
 */
public record BrokerSettings(
    Duration unleasedTtl,
    double refreshAt,
    Duration maxStaleness,
    Duration refreshRetryInterval,
    RetryPolicy retry) {

  public BrokerSettings {
    if (unleasedTtl.isNegative() || unleasedTtl.isZero()) {
      throw new IllegalArgumentException("unleasedTtl must be positive: " + unleasedTtl);
    }
    if (!(refreshAt > 0 && refreshAt < 1)) {
      throw new IllegalArgumentException("refreshAt is a share of the lifetime, in (0, 1)");
    }
    if (maxStaleness.isNegative()) {
      throw new IllegalArgumentException("maxStaleness cannot be negative: " + maxStaleness);
    }
    if (refreshRetryInterval.isNegative() || refreshRetryInterval.isZero()) {
      throw new IllegalArgumentException("refreshRetryInterval must be positive");
    }
  }

  /** KV values re-read every 30 s, refresh at 2/3, 15 minutes of staleness, retry every 10 s. */
  public static BrokerSettings defaults() {
    return new BrokerSettings(
        Duration.ofSeconds(30),
        2.0 / 3,
        Duration.ofMinutes(15),
        Duration.ofSeconds(10),
        RetryPolicy.defaults());
  }

  public BrokerSettings withMaxStaleness(Duration value) {
    return new BrokerSettings(unleasedTtl, refreshAt, value, refreshRetryInterval, retry);
  }

  public BrokerSettings withUnleasedTtl(Duration value) {
    return new BrokerSettings(value, refreshAt, maxStaleness, refreshRetryInterval, retry);
  }

  public BrokerSettings withRetry(RetryPolicy value) {
    return new BrokerSettings(unleasedTtl, refreshAt, maxStaleness, refreshRetryInterval, value);
  }
}
