package io.hodei.agent.session;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential reconnect delays with jitter: each delay lies between half and all of a ceiling that
 * doubles from the initial delay up to the maximum, so a fleet of agents cut off together does not
 * come back in lockstep.
 */
public final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private int failures;

  public Backoff(Duration initial, Duration max, RandomGenerator random) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.random = random;
  }

  public Duration next() {
    long ceiling = initialMillis << Math.min(failures, 30);
    if (ceiling <= 0 || ceiling > maxMillis) {
      ceiling = maxMillis;
    }
    failures++;
    long half = ceiling / 2;
    return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
  }

  public void reset() {
    failures = 0;
  }
}
