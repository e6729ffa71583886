package io.hodei.plugins.aci;

import io.hodei.plugin.api.Resources;
import java.util.Locale;

/**
 * The CPU cores and memory of one worker's container, as ACI accepts them: a request is rounded up
 * to the next tenth of a core and tenth of a GB (ACI's granularity), and a request of zero takes
 * the instance's defaults.
 *
 * @param cpuCores CPU cores, a multiple of 0.1
 * @param memoryGb memory in GB (ACI's GB are GiB: 1 GB = 1024 MiB), a multiple of 0.1
 */
record GroupSize(double cpuCores, double memoryGb) {

  static GroupSize of(Resources requested, AciSettings settings) {
    double cpu =
        requested.cpuMillis() == 0
            ? tenthsUp(settings.defaultCpuCores())
            : tenthsUp(requested.cpuMillis() / 1000.0);
    double memory =
        requested.memoryMib() == 0
            ? tenthsUp(settings.defaultMemoryGb())
            : tenthsUp(requested.memoryMib() / 1024.0);
    return new GroupSize(cpu, memory);
  }

  /** Rounds up to a multiple of 0.1, at least 0.1; exact for values already on a tenth. */
  static double tenthsUp(double value) {
    long tenths = (long) Math.ceil(value * 10 - 1e-9);
    return Math.max(1, tenths) / 10.0;
  }

  /** The same size in the plugin API's units, for comparing with a provider's maximum. */
  Resources asResources() {
    return Resources.of(Math.round(cpuCores * 1000), Math.round(memoryGb * 1024));
  }

  /** For handles and logs, e.g. {@code 0.5 cores, 1.5 GB}. */
  String describe() {
    return String.format(Locale.ROOT, "%.1f cores, %.1f GB", cpuCores, memoryGb);
  }
}
