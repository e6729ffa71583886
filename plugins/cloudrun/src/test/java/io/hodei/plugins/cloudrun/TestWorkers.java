package io.hodei.plugins.cloudrun;

import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerEventSink;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.tck.TestingClock;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Specs and provider instances for this module's own tests. */
final class TestWorkers {

  static final String INSTALLATION = "install-1";
  static final String INSTANCE = "cloudrun-test";

  private TestWorkers() {}

  static WorkerSpec spec() {
    return spec("w-" + UUID.randomUUID().toString().substring(0, 8), Optional.empty());
  }

  static WorkerSpec spec(String workerId, Optional<String> image) {
    return new WorkerSpec(
        workerId,
        image,
        Resources.of(2_000, 4_096),
        Map.of(
            PluginApi.ENV_BOOTSTRAP_TOKEN,
            "bootstrap-secret-" + workerId,
            PluginApi.ENV_SERVER_ADDRESS,
            "hodei.example.internal:9090",
            PluginApi.ENV_WORKER_ID,
            workerId),
        Map.of(
            PluginApi.LABEL_MANAGED, "true",
            PluginApi.LABEL_INSTALLATION, INSTALLATION,
            PluginApi.LABEL_WORKER, workerId,
            PluginApi.LABEL_PROVIDER_INSTANCE, INSTANCE),
        Duration.ofHours(2));
  }

  static CloudRunProvider start(
      Map<String, String> settings, TestingCredentialHandle credentials, WorkerEventSink events) {
    CloudRunProvider provider = new CloudRunProvider();
    provider.initialize(
        new ProviderContext(
            INSTANCE,
            INSTALLATION,
            new ProviderConfig(INSTANCE, settings),
            credentials,
            events,
            TestingClock.startingNow()));
    return provider;
  }
}
