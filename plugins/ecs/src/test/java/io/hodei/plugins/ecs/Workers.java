package io.hodei.plugins.ecs;

import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Worker specs as the host builds them, for the provider instance {@code ecs-test}. */
final class Workers {

  private Workers() {}

  static WorkerSpec spec(Resources resources) {
    return spec(resources, Optional.empty());
  }

  static WorkerSpec spec(Resources resources, Optional<String> image) {
    String workerId = "w-" + UUID.randomUUID().toString().substring(0, 8);
    return new WorkerSpec(
        workerId,
        image,
        resources,
        Map.of(
            PluginApi.ENV_BOOTSTRAP_TOKEN,
            "token-" + workerId,
            PluginApi.ENV_SERVER_ADDRESS,
            "10.0.0.15:9090",
            PluginApi.ENV_WORKER_ID,
            workerId),
        Map.of(
            PluginApi.LABEL_MANAGED,
            "true",
            PluginApi.LABEL_INSTALLATION,
            "install-1",
            PluginApi.LABEL_WORKER,
            workerId,
            PluginApi.LABEL_PROVIDER_INSTANCE,
            "ecs-test",
            "team",
            "platform"),
        Duration.ofHours(1));
  }
}
