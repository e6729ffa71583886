package io.hodei.plugins.cloudrun;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.Resources;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One provider instance's settings, read and checked once at initialize; see the configuration
 * reference in {@code docs/providers/cloudrun.md}.
 */
record CloudRunSettings(
    String instanceName,
    String project,
    String region,
    Optional<String> endpoint,
    Optional<String> credentials,
    boolean workloadIdentity,
    Optional<String> defaultImage,
    List<String> agentCommand,
    String workDir,
    Optional<String> serviceAccount,
    Optional<String> vpcConnector,
    String vpcEgress,
    int maxRetries,
    Resources maxPerWorker,
    int maxWorkers,
    Optional<Double> costPerCoreHour,
    Retry retry,
    Duration operationPollInterval,
    Duration operationTimeout,
    Duration watchInterval) {

  /** Longest task timeout Cloud Run accepts for a job: seven days. */
  static final Duration MAX_TASK_TIMEOUT = Duration.ofDays(7);

  private static final Pattern PROJECT = Pattern.compile("[a-z][-a-z0-9.:]{4,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+[0-9]+");

  /**
   * How every API call is retried: exponential backoff with full jitter (the client draws each wait
   * uniformly below the current delay), bounded in attempts and total time so that a call ends
   * inside the host's call timeout.
   */
  record Retry(
      Duration requestTimeout,
      Duration initialDelay,
      Duration maxDelay,
      int maxAttempts,
      Duration totalTimeout) {}

  static CloudRunSettings read(String instanceName, ProviderConfig config) {
    Optional<String> credentials = config.get("credentials");
    boolean workloadIdentity = config.getBoolean("workloadIdentity", false);
    if (credentials.isPresent() == workloadIdentity) {
      throw invalid(
          instanceName,
          "set exactly one of 'credentials' (a reference to a secret holding a service-account"
              + " key JSON, never the key itself) and 'workloadIdentity=true' (the server's own"
              + " application default credentials)");
    }
    String project = config.require("project").trim();
    if (!PROJECT.matcher(project).matches()) {
      throw invalid(
          instanceName, "setting 'project' must be a Google Cloud project id, got " + project);
    }
    String region = config.require("region").trim();
    if (!REGION.matcher(region).matches()) {
      throw invalid(
          instanceName,
          "setting 'region' must be a Cloud Run region such as europe-west1, got " + region);
    }
    int maxRetries = config.getInt("maxRetries", 0);
    if (maxRetries < 0 || maxRetries > 10) {
      throw invalid(
          instanceName, "setting 'maxRetries' must be between 0 and 10, got " + maxRetries);
    }
    Retry retry =
        new Retry(
            positive(instanceName, config, "requestTimeout", Duration.ofSeconds(20)),
            positive(instanceName, config, "retryInitialDelay", Duration.ofMillis(500)),
            positive(instanceName, config, "retryMaxDelay", Duration.ofSeconds(8)),
            Math.max(1, config.getInt("retryMaxAttempts", 6)),
            positive(instanceName, config, "retryTotalTimeout", Duration.ofSeconds(45)));
    return new CloudRunSettings(
        instanceName,
        project,
        region,
        config.get("endpoint").map(String::trim),
        credentials.map(String::trim),
        workloadIdentity,
        config.get("defaultImage").map(String::trim),
        words(config.get("agentCommand", "")),
        config.get("workDir", "/workspace"),
        config.get("serviceAccount").map(String::trim),
        config.get("vpcConnector").map(String::trim),
        egress(instanceName, config.get("vpcEgress", "PRIVATE_RANGES_ONLY")),
        maxRetries,
        new Resources(
            config.getInt("maxCpuMillis", 8_000),
            config.getInt("maxMemoryMib", 32_768),
            0,
            config.getInt("maxDiskMib", 16_384)),
        config.getInt("maxWorkers", 0),
        costPerCoreHour(instanceName, config),
        retry,
        positive(instanceName, config, "operationPollInterval", Duration.ofSeconds(1)),
        positive(instanceName, config, "operationTimeout", Duration.ofSeconds(40)),
        config.getDuration("watchInterval", Duration.ofSeconds(30)));
  }

  /** The largest single worker, as {@code describe()} reports before any configuration. */
  static Resources defaultMaxPerWorker() {
    return new Resources(8_000, 32_768, 0, 16_384);
  }

  /** {@code projects/<project>/locations/<region>}, the parent of every job. */
  String location() {
    return "projects/" + project + "/locations/" + region;
  }

  private static Duration positive(
      String instanceName, ProviderConfig config, String key, Duration defaultValue) {
    Duration value = config.getDuration(key, defaultValue);
    if (value.isNegative() || value.isZero()) {
      throw invalid(
          instanceName, "setting '" + key + "' must be a positive duration, got " + value);
    }
    return value;
  }

  private static String egress(String instanceName, String text) {
    String upper = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    if (upper.equals("ALL_TRAFFIC") || upper.equals("PRIVATE_RANGES_ONLY")) {
      return upper;
    }
    throw invalid(
        instanceName,
        "setting 'vpcEgress' must be ALL_TRAFFIC or PRIVATE_RANGES_ONLY, got " + text);
  }

  private static Optional<Double> costPerCoreHour(String instanceName, ProviderConfig config) {
    Optional<String> raw = config.get("costPerCoreHour");
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Double.parseDouble(raw.get().trim()));
    } catch (NumberFormatException e) {
      throw invalid(
          instanceName, "setting 'costPerCoreHour' must be a number, got '" + raw.get() + "'");
    }
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.split(" ")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  static ProviderException invalid(String instanceName, String problem) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION, "provider instance '" + instanceName + "': " + problem);
  }
}
