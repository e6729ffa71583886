package io.hodei.credentials.broker;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The production scheduler: a small pool of daemon threads. Two threads, because a refresh may
 * block in backoff while the backend is down and should not hold up the renewal of other secrets.
 */
public final class ExecutorBrokerScheduler implements BrokerScheduler {

  private final ScheduledExecutorService executor;

  public ExecutorBrokerScheduler() {
    AtomicInteger count = new AtomicInteger();
    this.executor =
        Executors.newScheduledThreadPool(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, "credential-broker-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> future =
        executor.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
