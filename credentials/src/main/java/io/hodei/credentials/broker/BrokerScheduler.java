package io.hodei.credentials.broker;

import java.time.Duration;

/**
 * Runs the broker's background refreshes. Tests supply a manual one driven by a testing clock, so
 * that a lease of minutes is exercised without waiting.
 */
public interface BrokerScheduler extends AutoCloseable {

  /** Runs {@code task} once after {@code delay}; the result cancels it if it has not started. */
  Cancellable schedule(Duration delay, Runnable task);

  /** Stops running tasks; pending ones are dropped. */
  @Override
  void close();

  /** A scheduled task that may still be called off. */
  interface Cancellable {
    void cancel();
  }
}
