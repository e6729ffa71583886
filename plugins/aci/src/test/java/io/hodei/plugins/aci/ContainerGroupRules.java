package io.hodei.plugins.aci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks {@link FakeArm} applies to a container group PUT body, after the public API reference:
 * the fields Resource Manager requires, the allowed values, ACI's limits on resources, environment
 * variables and tags. Answers {@code "Code: message"} for the first problem.
 */
final class ContainerGroupRules {

  private static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");
  private static final Set<String> OS_TYPES = Set.of("Linux", "Windows");
  private static final Pattern CONTAINER_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern TAG_FORBIDDEN = Pattern.compile("[<>%&\\\\?/]");
  private static final double MAX_CPU = 4;
  private static final double MAX_MEMORY_GB = 16;

  private ContainerGroupRules() {}

  static Optional<String> check(JsonNode group) {
    if (group.path("location").asText().isBlank()) {
      return Optional.of(
          "LocationRequired: The location property is required for this definition.");
    }
    JsonNode tags = group.path("tags");
    if (tags.size() > 50) {
      return Optional.of("InvalidTagCount: At most 50 tags are allowed on a resource.");
    }
    var names = tags.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (TAG_FORBIDDEN.matcher(name).find() || name.length() > 512) {
        return Optional.of("InvalidTagNameCharacters: The tag name '" + name + "' is invalid.");
      }
      if (tags.path(name).asText().length() > 256) {
        return Optional.of("InvalidTagValueLength: The value of tag '" + name + "' is too long.");
      }
    }
    JsonNode properties = group.path("properties");
    if (!OS_TYPES.contains(properties.path("osType").asText())) {
      return Optional.of("InvalidOsType: The osType must be Linux or Windows.");
    }
    String restart = properties.path("restartPolicy").asText("Always");
    if (!RESTART_POLICIES.contains(restart)) {
      return Optional.of("InvalidRestartPolicy: The restart policy '" + restart + "' is invalid.");
    }
    JsonNode containers = properties.path("containers");
    if (!containers.isArray() || containers.isEmpty()) {
      return Optional.of("ContainerGroupMissingContainers: A container group needs a container.");
    }
    double cpu = 0;
    double memory = 0;
    for (JsonNode container : containers) {
      String name = container.path("name").asText();
      if (!CONTAINER_NAME.matcher(name).matches()) {
        return Optional.of("InvalidContainerName: The container name '" + name + "' is invalid.");
      }
      JsonNode p = container.path("properties");
      if (p.path("image").asText().isBlank()) {
        return Optional.of("InvalidContainerImage: Container '" + name + "' has no image.");
      }
      JsonNode requests = p.path("resources").path("requests");
      double c = requests.path("cpu").asDouble(0);
      double m = requests.path("memoryInGB").asDouble(0);
      if (c <= 0 || m <= 0) {
        return Optional.of(
            "InvalidResourceRequests: Container '" + name + "' must request cpu and memoryInGB.");
      }
      if (Math.abs(m * 10 - Math.round(m * 10)) > 1e-6) {
        return Optional.of(
            "InvalidMemoryRequest: memoryInGB of container '"
                + name
                + "' must be a multiple of 0.1, got "
                + m);
      }
      cpu += c;
      memory += m;
      for (JsonNode variable : p.path("environmentVariables")) {
        boolean plain = variable.has("value");
        boolean secure = variable.has("secureValue");
        if (variable.path("name").asText().isBlank() || plain == secure) {
          return Optional.of(
              "InvalidEnvironmentVariable: An environment variable needs a name and exactly one"
                  + " of value and secureValue.");
        }
      }
    }
    if (cpu > MAX_CPU || memory > MAX_MEMORY_GB) {
      return Optional.of(
          "ResourceRequestsExceedLimits: The requested resource of "
              + cpu
              + " CPU and "
              + memory
              + " GB memory exceeds the limit of "
              + MAX_CPU
              + " CPU and "
              + MAX_MEMORY_GB
              + " GB memory in this location.");
    }
    return Optional.empty();
  }
}
