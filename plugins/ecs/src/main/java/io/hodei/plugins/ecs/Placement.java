package io.hodei.plugins.ecs;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;

/**
 * Where ECS places a worker's task: a launch type ({@code FARGATE} or {@code EC2}) or a capacity
 * provider strategy (e.g. {@code FARGATE_SPOT} with {@code FARGATE} as base), which ECS accepts
 * only one of.
 *
 * @param launchType the launch type, when no strategy is given
 * @param strategy the capacity provider strategy, in order
 */
record Placement(Optional<LaunchType> launchType, List<CapacityProviderStrategyItem> strategy) {

  Placement {
    strategy = List.copyOf(strategy);
  }

  /**
   * Reads {@code launchType} and {@code capacityProviders}: a comma-separated list of {@code
   * name[:weight[:base]]}, e.g. {@code FARGATE_SPOT:3,FARGATE:1:1}.
   */
  static Placement parse(
      String instanceName, Optional<String> launchType, Optional<String> providers) {
    if (launchType.isPresent() && providers.isPresent()) {
      throw invalid(
          instanceName,
          "set either 'launchType' or 'capacityProviders', not both: ECS refuses a task that names"
              + " both");
    }
    if (providers.isPresent()) {
      List<CapacityProviderStrategyItem> items = new ArrayList<>();
      for (String entry : providers.get().split(",")) {
        String[] parts = entry.trim().split(":");
        if (parts[0].isBlank() || parts.length > 3) {
          throw invalid(
              instanceName,
              "setting 'capacityProviders' must list name[:weight[:base]] entries, got '"
                  + providers.get()
                  + "'");
        }
        try {
          items.add(
              CapacityProviderStrategyItem.builder()
                  .capacityProvider(parts[0].trim())
                  .weight(parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 1)
                  .base(parts.length > 2 ? Integer.parseInt(parts[2].trim()) : 0)
                  .build());
        } catch (NumberFormatException e) {
          throw invalid(
              instanceName,
              "setting 'capacityProviders' has a weight or base that is not a number: '"
                  + entry.trim()
                  + "'");
        }
      }
      return new Placement(Optional.empty(), items);
    }
    String type = launchType.orElse("FARGATE").trim().toUpperCase(Locale.ROOT);
    LaunchType parsed = LaunchType.fromValue(type);
    if (parsed != LaunchType.FARGATE && parsed != LaunchType.EC2) {
      throw invalid(
          instanceName, "setting 'launchType' must be FARGATE or EC2, got '" + type + "'");
    }
    return new Placement(Optional.of(parsed), List.of());
  }

  /**
   * Whether tasks run on Fargate, whose sizes come from a fixed table: the FARGATE launch type, or
   * a strategy of FARGATE and FARGATE_SPOT only.
   */
  boolean fargate() {
    if (launchType.isPresent()) {
      return launchType.get() == LaunchType.FARGATE;
    }
    return strategy.stream()
        .map(CapacityProviderStrategyItem::capacityProvider)
        .allMatch(name -> name.equals("FARGATE") || name.equals("FARGATE_SPOT"));
  }

  Compatibility compatibility() {
    return fargate() ? Compatibility.FARGATE : Compatibility.EC2;
  }

  void applyTo(RunTaskRequest.Builder request) {
    launchType.ifPresent(request::launchType);
    if (!strategy.isEmpty()) {
      request.capacityProviderStrategy(strategy);
    }
  }

  /** For logs and documentation: {@code FARGATE} or {@code FARGATE_SPOT:3:0,FARGATE:1:1}. */
  String describe() {
    return launchType
        .map(LaunchType::toString)
        .orElseGet(
            () ->
                String.join(
                    ",",
                    strategy.stream()
                        .map(s -> s.capacityProvider() + ":" + s.weight() + ":" + s.base())
                        .toList()));
  }

  private static ProviderException invalid(String instanceName, String problem) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION, "provider instance '" + instanceName + "': " + problem);
  }
}
