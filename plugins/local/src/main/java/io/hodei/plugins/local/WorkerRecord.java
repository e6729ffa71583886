package io.hodei.plugins.local;

import io.hodei.plugin.api.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the state file {@code <workDir>/<workerId>/worker.properties} says about a worker process,
 * so that a restarted server can find, check and end the workers it owns.
 *
 * @param workerId the host's worker id, also the directory's name
 * @param pid the process id of the worker's root process
 * @param processStart the process's start time, to tell it from a later process with the same pid
 * @param installationId the owning installation
 * @param instanceName the provider instance that started it
 * @param labels the spec's ownership labels
 * @param resources what the worker asked for
 * @param enforcement whether and how the resources were applied
 * @param exitCode the exit code, once this server saw the process end
 */
record WorkerRecord(
    String workerId,
    long pid,
    Instant processStart,
    String installationId,
    String instanceName,
    Map<String, String> labels,
    Resources resources,
    Enforcement enforcement,
    Optional<Integer> exitCode) {

  static final String FILE_NAME = "worker.properties";

  /**
   * Start times come from the kernel in clock ticks and are rounded differently by different reads;
   * a later process reusing the pid starts well after this.
   */
  private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

  /**
   * Whether resource limits were applied by the OS.
   *
   * @param enforced true when the OS enforces them
   * @param detail how, or why not
   */
  record Enforcement(boolean enforced, String detail) {}

  WorkerRecord {
    labels = Map.copyOf(labels);
  }

  WorkerRecord withExitCode(int code) {
    return new WorkerRecord(
        workerId,
        pid,
        processStart,
        installationId,
        instanceName,
        labels,
        resources,
        enforcement,
        Optional.of(code));
  }

  boolean ownedBy(String installation, String instance) {
    return installationId.equals(installation) && instanceName.equals(instance);
  }

  /** The live process this record describes, unless it ended or its pid now belongs to another. */
  Optional<ProcessHandle> liveProcess() {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            process ->
                process
                    .info()
                    .startInstant()
                    .map(
                        start ->
                            Duration.between(start, processStart).abs().compareTo(START_TOLERANCE)
                                <= 0)
                    .orElse(true));
  }

  void write(Path directory) throws IOException {
    Properties p = new Properties();
    p.setProperty("worker.id", workerId);
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("process.start", processStart.toString());
    p.setProperty("installation", installationId);
    p.setProperty("provider.instance", instanceName);
    p.setProperty("resources.cpuMillis", Long.toString(resources.cpuMillis()));
    p.setProperty("resources.memoryMib", Long.toString(resources.memoryMib()));
    p.setProperty("resources.diskMib", Long.toString(resources.diskMib()));
    p.setProperty("resources.enforced", Boolean.toString(enforcement.enforced()));
    p.setProperty("resources.detail", enforcement.detail());
    exitCode.ifPresent(code -> p.setProperty("exit.code", Integer.toString(code)));
    new TreeMap<>(labels).forEach((key, value) -> p.setProperty("label." + key, value));
    // Write then rename, so a crash never leaves a half-written file for list() to trip on.
    Path temporary = directory.resolve(FILE_NAME + ".tmp");
    try (OutputStream out = Files.newOutputStream(temporary)) {
      p.store(out, "Hodei local worker; removed when the worker is terminated");
    }
    Files.move(
        temporary,
        directory.resolve(FILE_NAME),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** The record in {@code directory}, or empty when there is none. */
  static Optional<WorkerRecord> read(Path directory) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(directory.resolve(FILE_NAME))) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      Map<String, String> labels = new TreeMap<>();
      for (String name : p.stringPropertyNames()) {
        if (name.startsWith("label.")) {
          labels.put(name.substring("label.".length()), p.getProperty(name));
        }
      }
      return Optional.of(
          new WorkerRecord(
              required(p, "worker.id"),
              Long.parseLong(required(p, "pid")),
              Instant.parse(required(p, "process.start")),
              required(p, "installation"),
              required(p, "provider.instance"),
              labels,
              new Resources(
                  Long.parseLong(p.getProperty("resources.cpuMillis", "0")),
                  Long.parseLong(p.getProperty("resources.memoryMib", "0")),
                  0,
                  Long.parseLong(p.getProperty("resources.diskMib", "0"))),
              new Enforcement(
                  Boolean.parseBoolean(p.getProperty("resources.enforced")),
                  p.getProperty("resources.detail", "")),
              Optional.ofNullable(p.getProperty("exit.code")).map(Integer::valueOf)));
    } catch (RuntimeException e) {
      throw new IOException(
          "state file " + directory.resolve(FILE_NAME) + " is damaged: " + e.getMessage(), e);
    }
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("missing '" + key + "'");
    }
    return value;
  }
}
