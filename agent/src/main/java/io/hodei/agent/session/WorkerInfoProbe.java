package io.hodei.agent.session;

import io.hodei.protocol.v1.WorkerInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Describes the machine the agent runs on, cheaply: no process is started, no DNS is asked. */
public final class WorkerInfoProbe {

  private static final Logger LOG = Logger.getLogger(WorkerInfoProbe.class.getName());

  private WorkerInfoProbe() {}

  public static WorkerInfo describe(String agentVersion) {
    return WorkerInfo.newBuilder()
        .setHostname(hostname())
        .setOs(System.getProperty("os.name", "") + " " + System.getProperty("os.version", ""))
        .setArch(System.getProperty("os.arch", ""))
        .setCpus(Runtime.getRuntime().availableProcessors())
        .setMemoryMib(memoryMib().orElse(0L))
        .setAgentVersion(agentVersion)
        .build();
  }

  /** The version in the jar's manifest, or {@code dev} when run from classes. */
  public static String agentVersion() {
    String version = WorkerInfoProbe.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  private static String hostname() {
    // Reading the variable or the file avoids a reverse DNS lookup, which can take seconds.
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    Path file = Path.of("/etc/hostname");
    try {
      if (Files.isReadable(file)) {
        String name = Files.readString(file).trim();
        if (!name.isEmpty()) {
          return name;
        }
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      LOG.log(Level.FINE, "cannot tell this machine's host name", e);
      return "";
    }
  }

  private static Optional<Long> memoryMib() {
    Path meminfo = Path.of("/proc/meminfo");
    if (!Files.isReadable(meminfo)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(meminfo);
      for (String line : lines) {
        if (line.startsWith("MemTotal:")) {
          String kib = line.substring("MemTotal:".length()).replace("kB", "").trim();
          return Optional.of(Long.parseLong(kib) / 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.log(Level.FINE, "cannot read the memory size from /proc/meminfo", e);
    }
    return Optional.empty();
  }
}
