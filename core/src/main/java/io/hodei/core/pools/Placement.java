package io.hodei.core.pools;

import io.hodei.plugin.api.Resources;
import java.util.Optional;

/** Decides whether a job can get a worker in its pool now, and if not, says why. */
public final class Placement {

  private Placement() {}

  /** The outcome of placing one job. */
  public sealed interface Decision {}

  /** Run the job on this idle worker. */
  public record Reuse(String workerId) implements Decision {}

  /** Start a new worker for the job. */
  public record Provision() implements Decision {}

  /**
   * The pool is full, but this idle worker cannot take the job (another image or size): retire it
   * and start a new worker for the job in its place, rather than wait for its idle timeout.
   */
  public record Replace(String retiredWorkerId) implements Decision {}

  /** The job must wait; the reason is shown to users. */
  public record Wait(String reason) implements Decision {}

  /**
   * Places a job needing {@code request} in the pool described by {@code snapshot}; an empty
   * snapshot means the job's pool does not exist.
   */
  public static Decision place(
      String poolName, Resources request, Optional<PoolSnapshot> snapshot) {
    if (snapshot.isEmpty()) {
      return new Wait("pool '" + poolName + "' does not exist");
    }
    PoolSnapshot pool = snapshot.get();
    String instance = pool.pool().providerInstance();
    if (pool.providerHealth().isEmpty()) {
      return new Wait("provider " + instance + " is not available (its plugin is not loaded)");
    }
    if (!pool.providerHealth().get().acceptsWork()) {
      String detail = pool.providerHealth().get().detail();
      return new Wait(
          "provider " + instance + " unhealthy" + (detail.isEmpty() ? "" : ": " + detail));
    }
    if (!pool.maxPerWorker().covers(request)) {
      return new Wait(
          "no provider in pool '"
              + poolName
              + "' can offer "
              + pool.maxPerWorker().firstExcess(request));
    }
    if (!pool.idleWorkers().isEmpty()) {
      return new Reuse(pool.idleWorkers().get(0));
    }
    if (pool.activeWorkers() >= pool.pool().maxWorkers()) {
      if (!pool.idleMismatched().isEmpty()) {
        return new Replace(pool.idleMismatched().get(0));
      }
      return new Wait(
          "pool '"
              + poolName
              + "' is at its limit of "
              + pool.pool().maxWorkers()
              + " workers; waiting for one to free up");
    }
    return new Provision();
  }
}
