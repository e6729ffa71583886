package io.hodei.plugins.support;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Background threads of a provider instance. They are daemons so that a provider the host forgot to
 * close cannot keep the server's JVM alive, and the instance stops them in {@code close()} (the TCK
 * checks that none outlives it).
 */
public final class Daemons {

  /** How long {@link #stop} waits for a running poll to notice its interruption. */
  static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private Daemons() {}

  /** One daemon thread, named so that a thread dump says which instance it serves. */
  public static ScheduledExecutorService scheduler(String threadName) {
    return Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, threadName);
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Interrupts what runs, drops what waits and waits a little for it to end; null is allowed. */
  public static void stop(ExecutorService executor) {
    if (executor == null) {
      return;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
