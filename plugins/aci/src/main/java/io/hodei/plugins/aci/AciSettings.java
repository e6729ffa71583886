package io.hodei.plugins.aci;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One provider instance's settings, read and checked once at initialize; see the configuration
 * reference in {@code docs/providers/aci.md}.
 */
record AciSettings(
    String instanceName,
    Connection connection,
    String resourceGroup,
    String location,
    Optional<String> defaultImage,
    List<String> command,
    Optional<String> registryCredential,
    Optional<String> subnetId,
    double defaultCpuCores,
    double defaultMemoryGb,
    double maxCpuCores,
    double maxMemoryGb,
    int maxDiskMib,
    int maxWorkers,
    List<String> architectures,
    Optional<Double> costPerCoreHour,
    Duration provisionWait,
    Duration watchInterval) {

  /** Where Azure Resource Manager is and how calls to it authenticate and retry. */
  record Connection(
      String subscriptionId,
      AzureCloud cloud,
      URI resourceManagerEndpoint,
      Optional<String> authorityHost,
      Optional<String> credentials,
      boolean managedIdentity,
      Optional<String> managedIdentityClientId,
      Optional<String> tenantId,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxRetries,
      Duration retryBaseDelay,
      Duration retryMaxDelay,
      Duration pollInterval) {}

  static AciSettings read(String instanceName, ProviderConfig config) {
    Connection connection = readConnection(instanceName, config);
    double maxCpu = decimal(instanceName, config, "maxCpuCores", 4);
    double maxMemory = decimal(instanceName, config, "maxMemoryGb", 16);
    AciSettings settings =
        new AciSettings(
            instanceName,
            connection,
            config.require("resourceGroup").trim(),
            config.require("location").trim().toLowerCase(Locale.ROOT).replace(" ", ""),
            config.get("defaultImage").map(String::trim),
            command(instanceName, config.get("command", "")),
            config.get("registryCredential").map(String::trim),
            config.get("subnetId").map(String::trim),
            decimal(instanceName, config, "defaultCpuCores", 1),
            decimal(instanceName, config, "defaultMemoryGb", 1.5),
            maxCpu,
            maxMemory,
            config.getInt("maxDiskMib", 0),
            config.getInt("maxWorkers", 0),
            List.of(config.get("architectures", "amd64").split("\\s*,\\s*")),
            config
                .get("costPerCoreHour")
                .map(v -> decimal(instanceName, config, "costPerCoreHour", 0)),
            config.getDuration("provisionWait", Duration.ofSeconds(20)),
            config.getDuration("watchInterval", Duration.ofSeconds(15)));
    if (settings.defaultCpuCores() > maxCpu || settings.defaultMemoryGb() > maxMemory) {
      throw invalid(
          instanceName,
          "defaultCpuCores/defaultMemoryGb exceed maxCpuCores/maxMemoryGb; lower the defaults or"
              + " raise the maximums");
    }
    return settings;
  }

  private static Connection readConnection(String instanceName, ProviderConfig config) {
    Optional<String> credentials = config.get("credentials").map(String::trim);
    boolean managedIdentity = config.getBoolean("managedIdentity", false);
    if (credentials.isPresent() == managedIdentity) {
      throw invalid(
          instanceName,
          "set exactly one of 'credentials' (a reference to a service principal secret or an"
              + " access token) and 'managedIdentity=true'");
    }
    AzureCloud cloud = AzureCloud.parse(instanceName, config.get("cloud", "AzureCloud"));
    URI endpoint =
        endpoint(
            instanceName,
            config.get("resourceManagerEndpoint").orElse(cloud.resourceManagerEndpoint()),
            config.getBoolean("allowInsecureEndpoint", false));
    int maxRetries = config.getInt("maxRetries", 3);
    if (maxRetries < 0 || maxRetries > 10) {
      throw invalid(instanceName, "setting 'maxRetries' must be between 0 and 10");
    }
    return new Connection(
        config.require("subscriptionId").trim(),
        cloud,
        endpoint,
        config.get("authorityHost").map(String::trim),
        credentials,
        managedIdentity,
        config.get("managedIdentityClientId").map(String::trim),
        config.get("tenantId").map(String::trim),
        config.getDuration("connectTimeout", Duration.ofSeconds(10)),
        config.getDuration("requestTimeout", Duration.ofSeconds(30)),
        maxRetries,
        config.getDuration("retryBaseDelay", Duration.ofMillis(800)),
        config.getDuration("retryMaxDelay", Duration.ofSeconds(10)),
        config.getDuration("pollInterval", Duration.ofSeconds(5)));
  }

  private static URI endpoint(String instanceName, String raw, boolean allowInsecure) {
    URI uri;
    try {
      uri = URI.create(raw.trim());
    } catch (IllegalArgumentException e) {
      throw invalid(instanceName, "setting 'resourceManagerEndpoint' is not a URL: " + raw);
    }
    if ("http".equals(uri.getScheme()) && !allowInsecure) {
      // A bearer token over plain HTTP is readable by anyone on the path.
      throw invalid(
          instanceName,
          "setting 'resourceManagerEndpoint' must be https; plain http is accepted only with"
              + " allowInsecureEndpoint=true, for local test endpoints");
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
      throw invalid(instanceName, "setting 'resourceManagerEndpoint' must be an https URL");
    }
    String text = uri.toString();
    return URI.create(text.endsWith("/") ? text : text + "/");
  }

  private static double decimal(
      String instanceName, ProviderConfig config, String key, double defaultValue) {
    Optional<String> raw = config.get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      double value = Double.parseDouble(raw.get().trim());
      if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid(
          instanceName,
          "setting '" + key + "' must be a non-negative number, got '" + raw.get() + "'");
    }
  }

  /** Whitespace-separated words, or a JSON array of strings when arguments hold spaces. */
  private static List<String> command(String instanceName, String text) {
    if (!text.trim().startsWith("[")) {
      return words(text);
    }
    try {
      return List.of(
          new com.fasterxml.jackson.databind.ObjectMapper().readValue(text, String[].class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw invalid(
          instanceName,
          "setting 'command' starts with '[' but is not a JSON array of strings: "
              + e.getOriginalMessage());
    }
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  static ProviderException invalid(String instanceName, String problem) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION, "provider instance '" + instanceName + "': " + problem);
  }
}
