package io.hodei.core.pools;

import java.time.Duration;

/**
 * A set of workers from one provider instance that jobs run in, with its limits.
 *
 * @param name the pool's name, which jobs refer to
 * @param providerInstance the provider instance that starts its workers
 * @param maxWorkers workers the pool may hold at once, counting those still starting
 * @param maxJobsPerWorker jobs one worker runs before it is terminated; 1 means ephemeral workers
 * @param idleTimeout how long a reusable worker may wait for its next job
 * @param provisioningTimeout how long a new worker has to register before it is given up
 */
public record Pool(
    String name,
    String providerInstance,
    int maxWorkers,
    int maxJobsPerWorker,
    Duration idleTimeout,
    Duration provisioningTimeout) {

  public Pool {
    if (maxWorkers < 1) {
      throw new IllegalArgumentException("maxWorkers must be at least 1");
    }
    if (maxJobsPerWorker < 1) {
      throw new IllegalArgumentException("maxJobsPerWorker must be at least 1");
    }
  }

  public boolean reusesWorkers() {
    return maxJobsPerWorker > 1;
  }
}
