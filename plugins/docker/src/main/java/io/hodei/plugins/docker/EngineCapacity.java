package io.hodei.plugins.docker;

import com.github.dockerjava.api.model.Info;
import io.hodei.plugin.api.Resources;

/** The largest worker an engine's machine can hold: all its cores and memory. */
final class EngineCapacity {

  private EngineCapacity() {}

  static Resources of(Info info) {
    long cores = info.getNCPU() == null ? 0 : info.getNCPU();
    long bytes = info.getMemTotal() == null ? 0 : info.getMemTotal();
    return Resources.of(cores * 1000, bytes / (1024 * 1024));
  }

  /** A guess for describe() before the engine has answered: this machine. */
  static Resources ofThisMachine() {
    long memoryMib = 0;
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      memoryMib = os.getTotalMemorySize() / (1024 * 1024);
    }
    return Resources.of(Runtime.getRuntime().availableProcessors() * 1000L, memoryMib);
  }
}
