package io.hodei.plugins.local;

import io.hodei.plugin.api.Resources;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this host can give one worker at most: its cores, its memory, the work dir's free disk. */
record HostLimits(Resources max) {

  static HostLimits probe(Path workDir) {
    long cpuMillis = Runtime.getRuntime().availableProcessors() * 1000L;
    long memoryMib = physicalMemoryBytes() / (1024 * 1024);
    return new HostLimits(new Resources(cpuMillis, memoryMib, 0, usableDiskMib(workDir)));
  }

  private static long physicalMemoryBytes() {
    // The JDK's own bean knows container limits; the plain interface does not offer memory.
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  private static long usableDiskMib(Path workDir) {
    Path existing = workDir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return 0;
    }
    try {
      return Files.getFileStore(existing).getUsableSpace() / (1024 * 1024);
    } catch (IOException e) {
      // Unknown disk: claim none rather than promise what may not be there.
      return 0;
    }
  }
}
