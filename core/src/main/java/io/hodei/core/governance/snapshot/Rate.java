package io.hodei.core.governance.snapshot;

import io.hodei.plugin.api.Resources;

/**
 * What a pool's workers cost per hour, in the operator's currency: per worker, per vCPU and per GiB
 * of memory; they add up.
 *
 * @param perWorkerHour cost of one worker for an hour
 * @param perVcpuHour cost of one vCPU (1000 millicores) for an hour
 * @param perGibHour cost of one GiB of memory for an hour
 */
public record Rate(double perWorkerHour, double perVcpuHour, double perGibHour) {

  public static final Rate FREE = new Rate(0, 0, 0);

  public Rate {
    if (perWorkerHour < 0 || perVcpuHour < 0 || perGibHour < 0) {
      throw new IllegalArgumentException("rates cannot be negative");
    }
  }

  /** The hourly cost of one worker with these resources. */
  public double perHour(Resources resources) {
    return perWorkerHour
        + perVcpuHour * resources.cpuMillis() / 1000.0
        + perGibHour * resources.memoryMib() / 1024.0;
  }
}
