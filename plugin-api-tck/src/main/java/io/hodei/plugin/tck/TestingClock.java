package io.hodei.plugin.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it; thread-safe. */
public final class TestingClock extends Clock {

  private final AtomicReference<Instant> now;

  public TestingClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock starting at the current system time, so timestamps still look plausible in logs. */
  public static TestingClock startingNow() {
    return new TestingClock(Instant.now());
  }

  public void advance(Duration duration) {
    now.updateAndGet(instant -> instant.plus(duration));
  }

  public void set(Instant instant) {
    now.set(instant);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** Ignores the zone: tests compare instants, never local times. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
