package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.tck.PluginJarContractTest;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingClock;
import org.pf4j.PluginWrapper;

/** The packaged jar loads through PF4J, with the Azure SDK it bundles, and works from there. */
class PluginJarIT extends PluginJarContractTest {

  @Override
  protected String pluginId() {
    return "aci";
  }

  @Override
  protected void verifyLoaded(PluginWrapper plugin, WorkerManagerProvider provider)
      throws Exception {
    assertBundled(
        plugin,
        "com.azure.resourcemanager.containerinstance.fluent.ContainerGroupsClient",
        "com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder",
        "com.azure.identity.ClientSecretCredential",
        "reactor.core.publisher.Mono");
    assertThat(provider.describe().capabilities().listsWorkers()).isTrue();
    drive(provider);
  }

  /** The provider from the jar, with its shaded SDK, creates and deletes a group at the fake. */
  private static void drive(WorkerManagerProvider provider) {
    try (FakeArm arm = TestSettings.startFake().retryAfterSeconds(0)) {
      provider.initialize(
          new ProviderContext(
              Providers.INSTANCE,
              Providers.INSTALLATION,
              new ProviderConfig(Providers.INSTANCE, TestSettings.forFake(arm)),
              TestSettings.tokenCredentials(),
              new RecordingEventSink(),
              TestingClock.startingNow()));
      try {
        WorkerHandle handle = provider.provision(Providers.spec("w-from-jar"));
        assertThat(provider.list()).extracting(WorkerHandle::workerId).contains("w-from-jar");
        assertThat(provider.status(handle).state()).isEqualTo(WorkerState.RUNNING);
        provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.JOB_FINISHED));
        assertThat(arm.groups()).isEmpty();
      } finally {
        provider.close();
      }
    }
  }
}
