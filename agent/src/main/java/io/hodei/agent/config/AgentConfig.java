package io.hodei.agent.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the agent needs to know, read once from its environment at start.
 *
 * @param bootstrapToken the one-time token to register with; never logged
 * @param workerId the id the control plane gave this worker
 * @param serverAddress where the control plane's gRPC service listens
 * @param tls whether to speak TLS to the control plane
 * @param caFile the CA bundle to trust for TLS; empty means the JVM's default trust store
 * @param workDir the directory under which jobs get their working directories
 * @param orphanTimeout how long the agent may go without a connection before it gives up
 * @param reconnectInitialDelay the first reconnect delay; it doubles up to the maximum
 * @param reconnectMaxDelay the cap of the reconnect delay
 * @param jobEnvironment the environment every job starts from: the agent's own, minus its secrets
 */
public record AgentConfig(
    String bootstrapToken,
    String workerId,
    ServerAddress serverAddress,
    boolean tls,
    Optional<Path> caFile,
    Path workDir,
    Duration orphanTimeout,
    Duration reconnectInitialDelay,
    Duration reconnectMaxDelay,
    Map<String, String> jobEnvironment) {

  // The same names as io.hodei.plugin.api.PluginApi; the agent does not depend on the plugin API.
  public static final String ENV_BOOTSTRAP_TOKEN = "HODEI_BOOTSTRAP_TOKEN";
  public static final String ENV_SERVER_ADDRESS = "HODEI_SERVER_ADDRESS";
  public static final String ENV_WORKER_ID = "HODEI_WORKER_ID";
  public static final String ENV_SERVER_TLS = "HODEI_SERVER_TLS";
  public static final String ENV_SERVER_CA_FILE = "HODEI_SERVER_CA_FILE";
  public static final String ENV_WORK_DIR = "HODEI_WORK_DIR";
  public static final String ENV_ORPHAN_TIMEOUT = "HODEI_ORPHAN_TIMEOUT";

  public static final Duration DEFAULT_ORPHAN_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_RECONNECT_INITIAL_DELAY = Duration.ofMillis(250);
  public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(10);

  public AgentConfig {
    jobEnvironment = Map.copyOf(jobEnvironment);
  }

  /**
   * Reads the configuration from environment variables.
   *
   * @param env the process environment
   * @param currentDirectory the default work directory
   * @throws ConfigException naming every missing or malformed variable
   */
  public static AgentConfig fromEnvironment(Map<String, String> env, Path currentDirectory)
      throws ConfigException {
    List<String> problems = new ArrayList<>();
    String token =
        required(env, ENV_BOOTSTRAP_TOKEN, "the worker's one-time bootstrap token", problems);
    String workerId = required(env, ENV_WORKER_ID, "the worker's id", problems);
    String address =
        required(env, ENV_SERVER_ADDRESS, "the control plane's gRPC address, host:port", problems);

    ServerAddress serverAddress = null;
    if (address != null) {
      try {
        serverAddress = ServerAddress.parse(address);
      } catch (IllegalArgumentException e) {
        problems.add(ENV_SERVER_ADDRESS + ": " + e.getMessage());
      }
    }

    boolean tls = false;
    String tlsText = env.getOrDefault(ENV_SERVER_TLS, "").trim();
    if (tlsText.equalsIgnoreCase("true")) {
      tls = true;
    } else if (!tlsText.isEmpty() && !tlsText.equalsIgnoreCase("false")) {
      problems.add(ENV_SERVER_TLS + " must be true or false, but is '" + tlsText + "'");
    }

    Optional<Path> caFile = Optional.empty();
    String caText = env.getOrDefault(ENV_SERVER_CA_FILE, "").trim();
    if (!caText.isEmpty()) {
      Path path = toPath(caText, ENV_SERVER_CA_FILE, problems);
      if (path != null && !Files.isReadable(path)) {
        problems.add(ENV_SERVER_CA_FILE + " names " + caText + ", which is not a readable file");
      }
      if (!tls) {
        problems.add(ENV_SERVER_CA_FILE + " is set but " + ENV_SERVER_TLS + " is not true");
      }
      caFile = Optional.ofNullable(path);
    }

    Path workDir = currentDirectory;
    String workText = env.getOrDefault(ENV_WORK_DIR, "").trim();
    if (!workText.isEmpty()) {
      Path path = toPath(workText, ENV_WORK_DIR, problems);
      workDir = path == null ? currentDirectory : path;
    }

    Duration orphanTimeout = DEFAULT_ORPHAN_TIMEOUT;
    String orphanText = env.getOrDefault(ENV_ORPHAN_TIMEOUT, "").trim();
    if (!orphanText.isEmpty()) {
      try {
        orphanTimeout = Durations.parse(orphanText);
        if (orphanTimeout.isNegative() || orphanTimeout.isZero()) {
          problems.add(ENV_ORPHAN_TIMEOUT + " must be positive, but is '" + orphanText + "'");
        }
      } catch (IllegalArgumentException e) {
        problems.add(ENV_ORPHAN_TIMEOUT + ": " + e.getMessage());
      }
    }

    if (!problems.isEmpty()) {
      throw new ConfigException(
          "cannot start the agent: "
              + String.join("; ", problems)
              + ". The provider that "
              + "started this worker sets these variables; check its configuration.");
    }
    return new AgentConfig(
        token,
        workerId,
        serverAddress,
        tls,
        caFile,
        workDir.toAbsolutePath().normalize(),
        orphanTimeout,
        DEFAULT_RECONNECT_INITIAL_DELAY,
        DEFAULT_RECONNECT_MAX_DELAY,
        jobEnvironment(env));
  }

  /** A copy with other reconnect delays; tests use short ones. */
  public AgentConfig withReconnectDelays(Duration initial, Duration max) {
    return new AgentConfig(
        bootstrapToken,
        workerId,
        serverAddress,
        tls,
        caFile,
        workDir,
        orphanTimeout,
        initial,
        max,
        jobEnvironment);
  }

  /** Jobs inherit the agent's environment, but never the credentials it registered with. */
  static Map<String, String> jobEnvironment(Map<String, String> env) {
    Map<String, String> copy = new HashMap<>(env);
    copy.remove(ENV_BOOTSTRAP_TOKEN);
    return copy;
  }

  private static String required(
      Map<String, String> env, String name, String meaning, List<String> problems) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      problems.add("missing environment variable " + name + " (" + meaning + ")");
      return null;
    }
    return value.trim();
  }

  private static Path toPath(String text, String name, List<String> problems) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      problems.add(name + " is not a valid path: " + e.getMessage());
      return null;
    }
  }

  /** Leaves out the token and the environment, so the configuration can be logged. */
  @Override
  public String toString() {
    return "AgentConfig[workerId="
        + workerId
        + ", server="
        + serverAddress
        + ", tls="
        + tls
        + caFile.map(p -> ", caFile=" + p).orElse("")
        + ", workDir="
        + workDir
        + ", orphanTimeout="
        + Durations.human(orphanTimeout)
        + "]";
  }
}
