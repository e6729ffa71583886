package io.hodei.plugins.ecs;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.Resources;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A provider instance's settings, read and checked once at initialize; see docs/providers/ecs.md
 * for every key.
 */
record EcsSettings(
    String instanceName,
    Aws aws,
    String cluster,
    Placement placement,
    Optional<String> platformVersion,
    Network network,
    AgentMode agentMode,
    Optional<String> agentImage,
    List<String> agentCommand,
    Optional<String> defaultImage,
    Optional<String> executionRoleArn,
    Optional<String> taskRoleArn,
    Optional<String> logGroup,
    String cpuArchitecture,
    String taskFamilyPrefix,
    Resources maxPerWorker,
    int maxWorkers,
    Duration pollInterval,
    Duration taskDefinitionCleanupInterval) {

  /** How the agent gets into the worker's container. */
  enum AgentMode {
    /** The worker's image holds the agent; it runs {@code agentCommand}, or its own entrypoint. */
    IMAGE,
    /** A non-essential container of {@code agentImage} copies the agent into a shared volume. */
    SIDECAR
  }

  /** The command that starts the agent a sidecar copied to {@code /opt/hodei}. */
  static final String SIDECAR_AGENT_COMMAND = "/opt/hodei/bin/java -jar /opt/hodei/hodei-agent.jar";

  /** How to reach AWS and as whom. */
  record Aws(
      String region,
      Optional<URI> endpoint,
      Optional<URI> stsEndpoint,
      Optional<String> credentials,
      Optional<String> assumeRoleArn,
      Optional<String> externalId,
      String roleSessionName,
      Duration requestTimeout,
      Duration callTimeout,
      int maxAttempts,
      Duration retryBaseDelay,
      Duration throttlingBaseDelay,
      Duration maxBackoff) {}

  /** The awsvpc network of each task. */
  record Network(
      String mode, List<String> subnets, List<String> securityGroups, boolean assignPublicIp) {

    boolean awsvpc() {
      return "awsvpc".equals(mode);
    }
  }

  static EcsSettings read(String instanceName, ProviderConfig config) {
    Placement placement =
        Placement.parse(instanceName, config.get("launchType"), config.get("capacityProviders"));
    Network network =
        new Network(
            config.get("networkMode", "awsvpc").trim().toLowerCase(Locale.ROOT),
            words(config.get("subnets", "")),
            words(config.get("securityGroups", "")),
            assignPublicIp(instanceName, config.get("assignPublicIp", "DISABLED")));
    if (!List.of("awsvpc", "bridge", "host").contains(network.mode())) {
      throw invalid(instanceName, "setting 'networkMode' must be awsvpc, bridge or host");
    }
    if (placement.fargate() && !network.awsvpc()) {
      throw invalid(instanceName, "Fargate tasks need networkMode=awsvpc");
    }
    if (network.awsvpc() && network.subnets().isEmpty()) {
      throw invalid(
          instanceName,
          "setting 'subnets' is required with networkMode=awsvpc: list the subnet ids workers run"
              + " in, e.g. subnet-0a1b2c3d,subnet-4e5f6a7b");
    }
    AgentMode mode = agentMode(instanceName, config.get("agentMode", "image"));
    Optional<String> agentImage = config.get("agentImage");
    if (mode == AgentMode.SIDECAR && agentImage.isEmpty()) {
      throw invalid(
          instanceName,
          "setting 'agentImage' is required with agentMode=sidecar: name an image holding a Java"
              + " runtime and the agent under /opt/hodei (bin/java, hodei-agent.jar)");
    }
    String command =
        config.get("agentCommand", mode == AgentMode.SIDECAR ? SIDECAR_AGENT_COMMAND : "");
    Resources max =
        new Resources(
            config.getInt("maxCpuMillis", (int) FargateSizes.LARGEST.cpuMillis()),
            config.getInt("maxMemoryMib", (int) FargateSizes.LARGEST.memoryMib()),
            placement.fargate() ? 0 : config.getInt("maxGpus", 0),
            config.getInt("maxDiskMib", (int) FargateSizes.LARGEST.diskMib()));
    if (placement.fargate() && !FargateSizes.LARGEST.covers(max)) {
      // Fargate cannot go beyond its table whatever the settings say.
      max =
          new Resources(
              Math.min(max.cpuMillis(), FargateSizes.LARGEST.cpuMillis()),
              Math.min(max.memoryMib(), FargateSizes.LARGEST.memoryMib()),
              0,
              Math.min(max.diskMib(), FargateSizes.LARGEST.diskMib()));
    }
    String architecture = config.get("cpuArchitecture", "X86_64").trim().toUpperCase(Locale.ROOT);
    if (!List.of("X86_64", "ARM64").contains(architecture)) {
      throw invalid(instanceName, "setting 'cpuArchitecture' must be X86_64 or ARM64");
    }
    String prefix = config.get("taskFamilyPrefix", "hodei");
    if (!prefix.matches("[A-Za-z0-9_-]{1,200}")) {
      throw invalid(
          instanceName,
          "setting 'taskFamilyPrefix' may hold only letters, digits, '-' and '_' (at most 200)");
    }
    return new EcsSettings(
        instanceName,
        readAws(instanceName, config),
        config.require("cluster"),
        placement,
        config.get("platformVersion"),
        network,
        mode,
        agentImage,
        words(command, " "),
        config.get("defaultImage"),
        config.get("executionRoleArn"),
        config.get("taskRoleArn"),
        config.get("logGroup"),
        architecture,
        prefix,
        max,
        config.getInt("maxWorkers", 0),
        config.getDuration("pollInterval", Duration.ofSeconds(15)),
        config.getDuration("taskDefinitionCleanupInterval", Duration.ofHours(1)));
  }

  /** The architectures advertised to the scheduler, in Hodei's names. */
  String architectureLabel() {
    return cpuArchitecture.equals("ARM64") ? "arm64" : "amd64";
  }

  private static Aws readAws(String instanceName, ProviderConfig config) {
    Optional<String> assumeRole = config.get("assumeRoleArn");
    return new Aws(
        config.require("region"),
        config.get("endpoint").map(text -> uri(instanceName, "endpoint", text)),
        config.get("stsEndpoint").map(text -> uri(instanceName, "stsEndpoint", text)),
        config.get("credentials"),
        assumeRole,
        config.get("externalId"),
        config.get("roleSessionName", "hodei-" + instanceName),
        config.getDuration("requestTimeout", Duration.ofSeconds(10)),
        config.getDuration("callTimeout", Duration.ofSeconds(45)),
        Math.max(1, config.getInt("maxAttempts", 5)),
        config.getDuration("retryBaseDelay", Duration.ofMillis(100)),
        config.getDuration("throttlingBaseDelay", Duration.ofMillis(500)),
        config.getDuration("maxBackoff", Duration.ofSeconds(10)));
  }

  private static URI uri(String instanceName, String key, String text) {
    try {
      URI uri = new URI(text.trim());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new URISyntaxException(text, "needs a scheme and a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw invalid(
          instanceName,
          "setting '" + key + "' must be a URL such as https://ecs.eu-west-1.amazonaws.com");
    }
  }

  private static AgentMode agentMode(String instanceName, String text) {
    try {
      return AgentMode.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(instanceName, "setting 'agentMode' must be image or sidecar, got " + text);
    }
  }

  private static boolean assignPublicIp(String instanceName, String text) {
    return switch (text.trim().toUpperCase(Locale.ROOT)) {
      case "ENABLED", "TRUE" -> true;
      case "DISABLED", "FALSE" -> false;
      default ->
          throw invalid(instanceName, "setting 'assignPublicIp' must be ENABLED or DISABLED");
    };
  }

  static List<String> words(String text, String separator) {
    return Arrays.stream(text.split(separator))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static List<String> words(String commaSeparated) {
    return words(commaSeparated, ",");
  }

  static ProviderException invalid(String instanceName, String problem) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION, "provider instance '" + instanceName + "': " + problem);
  }
}
