package io.hodei.testplugins.hangs;

import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.testplugins.support.InMemoryProvider;
import java.util.concurrent.CountDownLatch;
import org.pf4j.Extension;

/** A faulty provider: provision never returns until its thread is interrupted. */
@Extension
public class HangingProvider extends InMemoryProvider {

  private final CountDownLatch never = new CountDownLatch(1);

  @Override
  protected String type() {
    return "hangs";
  }

  @Override
  protected String version() {
    return "1.0.0";
  }

  @Override
  public WorkerHandle provision(WorkerSpec spec) {
    try {
      never.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("test plugin hangs: provision was interrupted");
  }
}
