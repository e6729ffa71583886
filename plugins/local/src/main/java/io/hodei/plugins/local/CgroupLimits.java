package io.hodei.plugins.local;

import io.hodei.plugin.api.Resources;
import io.hodei.plugins.local.WorkerRecord.Enforcement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Applies a worker's CPU and memory through cgroup v2, where this host delegates a cgroup to us;
 * otherwise says why not, so the limits are recorded as not enforced instead of failing the worker.
 */
final class CgroupLimits {

  private static final Path MOUNT = Path.of("/sys/fs/cgroup");
  private static final long CPU_PERIOD_MICROS = 100_000;

  private final Optional<Path> parent;
  private final String unavailableBecause;

  private CgroupLimits(Optional<Path> parent, String unavailableBecause) {
    this.parent = parent;
    this.unavailableBecause = unavailableBecause;
  }

  /** Uses {@code configured} when given, else tries a {@code hodei-workers} group at the root. */
  static CgroupLimits locate(Optional<Path> configured) {
    if (configured.isPresent()) {
      Path dir = configured.get();
      if (!Files.isWritable(dir.resolve("cgroup.procs"))) {
        return unavailable("cgroupParent " + dir + " is not a writable cgroup v2 directory");
      }
      return new CgroupLimits(configured, "");
    }
    if (!Files.exists(MOUNT.resolve("cgroup.controllers"))) {
      return unavailable("cgroup v2 is not mounted at " + MOUNT);
    }
    Path dir = MOUNT.resolve("hodei-workers");
    try {
      String controllers = Files.readString(MOUNT.resolve("cgroup.controllers"));
      if (!controllers.contains("cpu") || !controllers.contains("memory")) {
        return unavailable("the cpu and memory controllers are not available: " + controllers);
      }
      Files.writeString(MOUNT.resolve("cgroup.subtree_control"), "+cpu +memory");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("cgroup.subtree_control"), "+cpu +memory");
      return new CgroupLimits(Optional.of(dir), "");
    } catch (IOException | SecurityException e) {
      return unavailable(
          "cannot delegate " + dir + " (" + e + "); set cgroupParent to a delegated cgroup");
    }
  }

  private static CgroupLimits unavailable(String reason) {
    return new CgroupLimits(Optional.empty(), reason);
  }

  /**
   * Moves {@code process} and what it started so far (a sandbox's own processes) into a new cgroup
   * for the worker with its limits; whatever they start later is born inside.
   */
  Enforcement apply(ProcessHandle process, String workerId, Resources resources) {
    if (resources.cpuMillis() == 0 && resources.memoryMib() == 0) {
      return new Enforcement(false, "no limits were requested");
    }
    if (parent.isEmpty()) {
      return new Enforcement(false, "not enforced: " + unavailableBecause);
    }
    Path group = parent.get().resolve("hodei-" + workerId);
    try {
      Files.createDirectories(group);
      if (resources.cpuMillis() > 0) {
        long quota = resources.cpuMillis() * CPU_PERIOD_MICROS / 1000;
        write(group.resolve("cpu.max"), quota + " " + CPU_PERIOD_MICROS);
      }
      if (resources.memoryMib() > 0) {
        write(group.resolve("memory.max"), Long.toString(resources.memoryMib() * 1024 * 1024));
      }
      write(group.resolve("cgroup.procs"), Long.toString(process.pid()));
      for (ProcessHandle descendant : process.descendants().toList()) {
        try {
          write(group.resolve("cgroup.procs"), Long.toString(descendant.pid()));
        } catch (IOException e) {
          if (descendant.isAlive()) {
            throw e;
          }
          // Ended meanwhile: nothing left to limit.
        }
      }
      return new Enforcement(true, "cgroup " + group);
    } catch (IOException | SecurityException e) {
      release(workerId);
      return new Enforcement(false, "not enforced: cannot use cgroup " + group + ": " + e);
    }
  }

  /** Removes the worker's cgroup once its processes are gone; a no-op when it has none. */
  void release(String workerId) {
    parent.map(p -> p.resolve("hodei-" + workerId)).ifPresent(CgroupLimits::removeQuietly);
  }

  private static void removeQuietly(Path group) {
    try {
      Files.deleteIfExists(group);
    } catch (IOException e) {
      // The kernel refuses while a process lingers; the group is empty and harmless, say so.
      System.getLogger(CgroupLimits.class.getName())
          .log(System.Logger.Level.WARNING, "could not remove cgroup " + group + ": " + e);
    }
  }

  private static void write(Path file, String value) throws IOException {
    Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
  }
}
