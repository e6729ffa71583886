package io.hodei.server.plugins;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs the calls into one provider instance on a small pool of its own, each with a deadline, so
 * that a slow or stuck provider uses up its own threads and never the caller's or another
 * provider's.
 *
 * <p>A call that overruns its deadline completes with {@code TIMEOUT} and its thread is
 * interrupted: a slow backend is the provider's trouble, reported like any other failure. Only a
 * call that is still running the interrupt grace later, one that ignores interruption and keeps a
 * thread of the pool, is a hang, and the {@link HangListener} hears of it. A full pool and queue
 * refuse new calls with {@code CAPACITY_EXHAUSTED}. Anything the provider throws that is not a
 * {@link ProviderException} becomes one with code {@code INTERNAL} and the original as its cause.
 * The returned futures complete on the provider's or the timer's thread: dependent stages must not
 * block.
 */
final class ProviderCalls implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ProviderCalls.class);

  /** Hears of calls that overran their deadline and did not end when interrupted. */
  @FunctionalInterface
  interface HangListener {
    /**
     * @param loadId the plugin load the call went to
     * @param what which instance and call hangs, for people
     */
    void hangs(long loadId, String what);
  }

  /** Where one call is: a call cancelled while queued never runs, so it cannot hang. */
  private enum Phase {
    QUEUED,
    RUNNING,
    ENDED
  }

  private final String owner;
  private final Duration timeout;
  private final Duration interruptGrace;
  private final ScheduledExecutorService timer;
  private final HangListener listener;
  private final ThreadPoolExecutor pool;
  private final int threads;
  private final int queue;

  /**
   * @param owner who the calls go to, for messages and thread names, e.g. {@code provider instance
   *     k8s-prod}
   */
  ProviderCalls(
      String owner,
      PluginHostSettings settings,
      ScheduledExecutorService timer,
      HangListener listener) {
    this.owner = owner;
    this.timeout = settings.callTimeout();
    this.interruptGrace = settings.interruptGrace();
    this.timer = timer;
    this.listener = listener;
    this.threads = settings.callThreads();
    this.queue = settings.callQueue();
    AtomicInteger count = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            task -> {
              Thread thread =
                  new Thread(
                      task, "hodei-" + owner.replace(' ', '-') + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * Runs {@code task} on this instance's pool with {@code loader} as the thread's context class
   * loader (libraries such as cloud SDKs look resources up through it).
   *
   * @param loadId the plugin load the call goes to, reported to the listener on a hang
   */
  <T> CompletableFuture<T> submit(String call, long loadId, ClassLoader loader, Callable<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicReference<Phase> phase = new AtomicReference<>(Phase.QUEUED);
    Future<?> running;
    try {
      running = pool.submit(() -> run(call, loader, task, result, phase));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new ProviderException(
              ErrorCode.CAPACITY_EXHAUSTED,
              owner
                  + ": "
                  + call
                  + " refused, "
                  + threads
                  + " calls are running and "
                  + queue
                  + " waiting; retry later",
              e));
      return result;
    }
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> {
              ProviderException overrun =
                  new ProviderException(
                      ErrorCode.TIMEOUT,
                      owner
                          + ": "
                          + call
                          + " did not finish within "
                          + timeout.toMillis()
                          + " ms (hodei.plugins.call-timeout); its thread was interrupted");
              if (result.completeExceptionally(overrun)) {
                running.cancel(true);
                LOG.warnf("%s", overrun.getMessage());
                timer.schedule(
                    () -> reportIfStuck(call, loadId, phase),
                    interruptGrace.toNanos(),
                    TimeUnit.NANOSECONDS);
              }
            },
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    result.whenComplete((value, failure) -> deadline.cancel(false));
    return result;
  }

  /** Like {@link #submit} but waits for the outcome; for the host's own lifecycle calls. */
  <T> T await(String call, long loadId, ClassLoader loader, Callable<T> task) {
    try {
      return submit(call, loadId, loader, task).join();
    } catch (CompletionException e) {
      throw asProviderException(e.getCause(), owner + ": " + call);
    }
  }

  /** Stops the pool; calls still running are interrupted. */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  private void reportIfStuck(String call, long loadId, AtomicReference<Phase> phase) {
    if (phase.get() == Phase.RUNNING) {
      listener.hangs(
          loadId,
          owner
              + ": "
              + call
              + " overran "
              + timeout.toMillis()
              + " ms (hodei.plugins.call-timeout) and was still running "
              + interruptGrace.toMillis()
              + " ms after its thread was interrupted (hodei.plugins.interrupt-grace)");
    }
  }

  private <T> void run(
      String call,
      ClassLoader loader,
      Callable<T> task,
      CompletableFuture<T> result,
      AtomicReference<Phase> phase) {
    phase.set(Phase.RUNNING);
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      result.complete(task.call());
    } catch (Throwable failure) {
      result.completeExceptionally(asProviderException(failure, owner + ": " + call));
      if (failure instanceof VirtualMachineError fatal) {
        throw fatal;
      }
    } finally {
      thread.setContextClassLoader(previous);
      phase.set(Phase.ENDED);
    }
  }

  static ProviderException asProviderException(Throwable failure, String what) {
    if (failure instanceof ProviderException known) {
      return known;
    }
    return new ProviderException(ErrorCode.INTERNAL, what + " failed: " + failure, failure);
  }
}
