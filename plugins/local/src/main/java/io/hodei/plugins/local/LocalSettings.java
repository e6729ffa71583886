package io.hodei.plugins.local;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The settings of one {@code local} provider instance, read once at initialize.
 *
 * @param workDir where each worker gets its own directory, state file and log
 * @param agentCommand what starts a worker's agent
 * @param terminationGrace how long a worker may take to stop after SIGTERM before it is killed
 * @param keepLogs how many terminated workers' logs to keep under {@code workDir/.logs}
 * @param cgroupParent a delegated cgroup v2 directory for resource limits; empty to find one
 * @param inheritEnv the server's environment variables a worker also gets
 * @param sandbox whether workers run inside a bubblewrap sandbox; off only by explicit choice
 * @param bwrap the bubblewrap executable, a name looked up on PATH or a path
 * @param sandboxReadOnly host paths a sandboxed worker sees read-only, at the same path
 * @param sandboxUid the user id a sandboxed worker runs as
 * @param sandboxGid the group id a sandboxed worker runs as
 */
record LocalSettings(
    Path workDir,
    CommandLine agentCommand,
    Duration terminationGrace,
    int keepLogs,
    Optional<Path> cgroupParent,
    List<String> inheritEnv,
    boolean sandbox,
    String bwrap,
    List<Path> sandboxReadOnly,
    int sandboxUid,
    int sandboxGid) {

  static final String WORK_DIR = "workDir";
  static final String AGENT_COMMAND = "agentCommand";
  static final String TERMINATION_GRACE = "terminationGrace";
  static final String KEEP_LOGS = "keepLogs";
  static final String CGROUP_PARENT = "cgroupParent";
  static final String INHERIT_ENV = "inheritEnv";
  static final String SANDBOX = "sandbox";
  static final String BWRAP = "bwrap";
  static final String SANDBOX_READ_ONLY = "sandboxReadOnly";
  static final String SANDBOX_UID = "sandboxUid";
  static final String SANDBOX_GID = "sandboxGid";

  /** The system's programs and libraries; nothing of any user's home, /var, /run or /srv. */
  static final String DEFAULT_SANDBOX_READ_ONLY = "/usr,/bin,/sbin,/lib,/lib32,/lib64,/etc";

  /** {@code nobody} on Debian and most other distributions. */
  static final int DEFAULT_SANDBOX_ID = 65534;

  static final String DEFAULT_INHERIT_ENV =
      "PATH,HOME,USER,LOGNAME,LANG,LC_ALL,TZ,TMPDIR,JAVA_HOME";

  static Path defaultWorkDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "hodei-local-workers");
  }

  static LocalSettings from(String instanceName, ProviderConfig config) {
    String commandText =
        config
            .get(AGENT_COMMAND)
            .orElseThrow(
                () ->
                    invalid(
                        instanceName,
                        AGENT_COMMAND,
                        "is required: set it to the command that starts the agent, e.g."
                            + " 'java -jar /opt/hodei/hodei-agent.jar'"));
    CommandLine command;
    try {
      command = CommandLine.parse(commandText);
    } catch (IllegalArgumentException e) {
      throw invalid(instanceName, AGENT_COMMAND, "cannot be read: " + e.getMessage());
    }
    Duration grace = config.getDuration(TERMINATION_GRACE, Duration.ofSeconds(10));
    if (grace.isNegative()) {
      throw invalid(instanceName, TERMINATION_GRACE, "cannot be negative, got " + grace);
    }
    int keepLogs = config.getInt(KEEP_LOGS, 20);
    if (keepLogs < 0) {
      throw invalid(instanceName, KEEP_LOGS, "cannot be negative, got " + keepLogs);
    }
    List<String> inherit = list(config.get(INHERIT_ENV, DEFAULT_INHERIT_ENV));
    String sandboxText = config.get(SANDBOX, "true").trim();
    if (!sandboxText.equalsIgnoreCase("true") && !sandboxText.equalsIgnoreCase("false")) {
      throw invalid(instanceName, SANDBOX, "must be true or false, got '" + sandboxText + "'");
    }
    List<Path> readOnly =
        list(config.get(SANDBOX_READ_ONLY, DEFAULT_SANDBOX_READ_ONLY)).stream()
            .map(p -> path(instanceName, SANDBOX_READ_ONLY, p))
            .toList();
    int uid = id(instanceName, SANDBOX_UID, config.getInt(SANDBOX_UID, DEFAULT_SANDBOX_ID));
    int gid = id(instanceName, SANDBOX_GID, config.getInt(SANDBOX_GID, DEFAULT_SANDBOX_ID));
    return new LocalSettings(
        path(instanceName, WORK_DIR, config.get(WORK_DIR, defaultWorkDir().toString())),
        command,
        grace,
        keepLogs,
        config.get(CGROUP_PARENT).map(p -> path(instanceName, CGROUP_PARENT, p)),
        inherit,
        sandboxText.equalsIgnoreCase("true"),
        config.get(BWRAP, "bwrap").trim(),
        readOnly,
        uid,
        gid);
  }

  private static List<String> list(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static int id(String instanceName, String key, int value) {
    // 0 would make the worker root inside its sandbox: never what a sandbox is for.
    if (value < 1) {
      throw invalid(instanceName, key, "must be a positive user or group id, got " + value);
    }
    return value;
  }

  private static Path path(String instanceName, String key, String value) {
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw invalid(instanceName, key, "is not a valid path: " + e.getMessage());
    }
  }

  private static ProviderException invalid(String instanceName, String key, String problem) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION,
        "local provider instance '" + instanceName + "': setting '" + key + "' " + problem);
  }
}
