package io.hodei.plugins.aci;

import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Starts provider instances against a {@link FakeArm} for the plugin's own tests. */
final class Providers {

  static final String INSTALLATION = "install-1";
  static final String INSTANCE = "aci-test";

  private Providers() {}

  static AciProvider start(
      FakeArm arm,
      CredentialHandle credentials,
      Map<String, String> overrides,
      ArmAuthentication authentication,
      RecordingEventSink events) {
    AciProvider provider = new AciProvider(authentication);
    provider.initialize(
        new ProviderContext(
            INSTANCE,
            INSTALLATION,
            new ProviderConfig(INSTANCE, TestSettings.forFake(arm, overrides)),
            credentials,
            events,
            TestingClock.startingNow()));
    return provider;
  }

  static AciProvider start(FakeArm arm, Map<String, String> overrides) {
    return start(
        arm,
        TestSettings.tokenCredentials(),
        overrides,
        new EntraAuthentication(),
        new RecordingEventSink());
  }

  static WorkerSpec spec(String workerId) {
    return spec(workerId, Resources.of(500, 1024));
  }

  static WorkerSpec spec(String workerId, Resources resources) {
    return new WorkerSpec(
        workerId,
        Optional.empty(),
        resources,
        Map.of(
            PluginApi.ENV_BOOTSTRAP_TOKEN,
            "token-of-" + workerId,
            PluginApi.ENV_SERVER_ADDRESS,
            "127.0.0.1:9090",
            PluginApi.ENV_WORKER_ID,
            workerId),
        Map.of(
            PluginApi.LABEL_MANAGED, "true",
            PluginApi.LABEL_INSTALLATION, INSTALLATION,
            PluginApi.LABEL_WORKER, workerId,
            PluginApi.LABEL_PROVIDER_INSTANCE, INSTANCE),
        Duration.ofMinutes(30));
  }
}
