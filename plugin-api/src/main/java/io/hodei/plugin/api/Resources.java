package io.hodei.plugin.api;

/**
 * An amount of compute: what a worker asks for, or what a provider can offer at most.
 *
 * @param cpuMillis CPU in millicores (1000 = one core)
 * @param memoryMib memory in MiB
 * @param gpus number of GPUs
 * @param diskMib scratch disk in MiB; 0 means the provider's default
 */
public record Resources(long cpuMillis, long memoryMib, int gpus, long diskMib) {

  /** No resources at all; as a request, "the provider's defaults". */
  public static final Resources NONE = new Resources(0, 0, 0, 0);

  public Resources {
    if (cpuMillis < 0 || memoryMib < 0 || gpus < 0 || diskMib < 0) {
      throw new IllegalArgumentException(
          "resources cannot be negative: cpuMillis="
              + cpuMillis
              + ", memoryMib="
              + memoryMib
              + ", gpus="
              + gpus
              + ", diskMib="
              + diskMib);
    }
  }

  /** CPU and memory only, the common case. */
  public static Resources of(long cpuMillis, long memoryMib) {
    return new Resources(cpuMillis, memoryMib, 0, 0);
  }

  /** Whether every dimension of {@code request} fits within this amount. */
  public boolean covers(Resources request) {
    return request.cpuMillis <= cpuMillis
        && request.memoryMib <= memoryMib
        && request.gpus <= gpus
        && request.diskMib <= diskMib;
  }

  /** The first dimension of {@code request} that exceeds this amount, described for a person. */
  public String firstExcess(Resources request) {
    if (request.cpuMillis > cpuMillis) {
      return request.cpuMillis + "m CPU (at most " + cpuMillis + "m)";
    }
    if (request.memoryMib > memoryMib) {
      return request.memoryMib + " MiB memory (at most " + memoryMib + " MiB)";
    }
    if (request.gpus > gpus) {
      return request.gpus + " GPUs (at most " + gpus + ")";
    }
    if (request.diskMib > diskMib) {
      return request.diskMib + " MiB disk (at most " + diskMib + " MiB)";
    }
    return "";
  }
}
