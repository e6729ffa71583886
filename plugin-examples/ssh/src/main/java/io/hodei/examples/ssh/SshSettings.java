package io.hodei.examples.ssh;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The settings of one {@code ssh} provider instance.
 *
 * @param hosts the machines workers run on
 * @param identityFile the private key ssh logs in with
 * @param knownHostsFile the host keys ssh checks the machines against
 * @param strictHostKeyChecking false accepts a host's key on first contact (never a changed one)
 * @param agentCommand the remote shell command that starts the agent
 * @param maxWorkersPerHost how many workers one machine holds at once
 * @param workDir the remote directory for workers; relative paths start at the login's home
 * @param maxPerWorker the largest worker one machine can take
 * @param terminationGrace how long a worker may take to stop after SIGTERM
 * @param commandTimeout how long one ssh command may take
 */
record SshSettings(
    List<SshHost> hosts,
    Path identityFile,
    Path knownHostsFile,
    boolean strictHostKeyChecking,
    String agentCommand,
    int maxWorkersPerHost,
    String workDir,
    Resources maxPerWorker,
    Duration terminationGrace,
    Duration commandTimeout) {

  static final Resources DEFAULT_MAX_PER_WORKER = Resources.of(2000, 4096);

  static SshSettings from(String instanceName, ProviderConfig config) {
    List<SshHost> hosts;
    try {
      hosts =
          Arrays.stream(config.require("hosts").split(","))
              .filter(h -> !h.isBlank())
              .map(SshHost::parse)
              .toList();
    } catch (IllegalArgumentException e) {
      throw invalid(instanceName, "hosts", e.getMessage());
    }
    if (hosts.isEmpty()) {
      throw invalid(instanceName, "hosts", "names no host; write user@host:port,user@host2:port");
    }
    Path identity = Path.of(config.require("identityFile"));
    if (!Files.isReadable(identity)) {
      throw invalid(instanceName, "identityFile", "names " + identity + ", which is not readable");
    }
    Path knownHosts = Path.of(config.require("knownHostsFile"));
    String workDir = config.get("workDir", "hodei-workers");
    if (workDir.contains("'") || workDir.contains("\n")) {
      throw invalid(instanceName, "workDir", "cannot contain quotes or line breaks");
    }
    int maxWorkers = config.getInt("maxWorkersPerHost", 4);
    if (maxWorkers < 1) {
      throw invalid(instanceName, "maxWorkersPerHost", "must be at least 1, got " + maxWorkers);
    }
    return new SshSettings(
        hosts,
        identity,
        knownHosts,
        config.getBoolean("strictHostKeyChecking", true),
        config.require("agentCommand"),
        maxWorkers,
        workDir,
        Resources.of(
            config.getInt("maxCpuMillis", (int) DEFAULT_MAX_PER_WORKER.cpuMillis()),
            config.getInt("maxMemoryMib", (int) DEFAULT_MAX_PER_WORKER.memoryMib())),
        config.getDuration("terminationGrace", Duration.ofSeconds(10)),
        config.getDuration("commandTimeout", Duration.ofSeconds(30)));
  }

  private static ProviderException invalid(String instanceName, String key, String problem) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION,
        "ssh provider instance '" + instanceName + "': setting '" + key + "' " + problem);
  }
}
