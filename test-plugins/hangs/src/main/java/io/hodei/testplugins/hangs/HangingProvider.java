package io.hodei.testplugins.hangs;

import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.testplugins.support.InMemoryProvider;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;

/**
 * A faulty provider whose provision never finishes. For a worker id starting with {@code w-slow} it
 * gives up when its thread is interrupted, as a blocking client does; for any other it ignores
 * interruption, as a provider stuck in a loop does, for a minute (not for ever, to keep the test
 * JVM's threads bounded). With the setting {@code healthHangs=true}, its health check also never
 * answers, until its thread is interrupted.
 */
@Extension
public class HangingProvider extends InMemoryProvider {

  private static final Duration STUCK_FOR = Duration.ofMinutes(1);
  private final CountDownLatch never = new CountDownLatch(1);
  private volatile boolean healthHangs;

  @Override
  protected String type() {
    return "hangs";
  }

  @Override
  protected String version() {
    return "1.0.0";
  }

  @Override
  public void initialize(ProviderContext context) {
    super.initialize(context);
    healthHangs = context.config().getBoolean("healthHangs", false);
  }

  @Override
  public ProviderHealth health() {
    if (!healthHangs) {
      return super.health();
    }
    try {
      never.await(STUCK_FOR.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("test plugin hangs: health gave up");
  }

  @Override
  public WorkerHandle provision(WorkerSpec spec) {
    boolean givesUp = spec.workerId().startsWith("w-slow");
    long until = System.nanoTime() + STUCK_FOR.toNanos();
    while (System.nanoTime() < until) {
      try {
        never.await(until - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        if (givesUp) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("test plugin hangs: provision was interrupted");
        }
      }
    }
    throw new IllegalStateException("test plugin hangs: provision gave up after " + STUCK_FOR);
  }
}
