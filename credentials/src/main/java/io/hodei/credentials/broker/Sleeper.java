package io.hodei.credentials.broker;

import java.time.Duration;

/** Waits between retries; tests replace it with one that advances a testing clock. */
@FunctionalInterface
public interface Sleeper {

  Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
