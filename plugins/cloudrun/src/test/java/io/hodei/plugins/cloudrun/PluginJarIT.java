package io.hodei.plugins.cloudrun;

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
import io.hodei.plugin.tck.TestingCredentialHandle;
import io.hodei.plugins.cloudrun.fake.FakeCloudRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.PluginWrapper;

/** The packaged jar loads through PF4J, with the Google client it bundles and no gRPC channel. */
class PluginJarIT extends PluginJarContractTest {

  @Override
  protected String pluginId() {
    return "cloudrun";
  }

  @Override
  protected void verifyLoaded(PluginWrapper plugin, WorkerManagerProvider provider)
      throws Exception {
    ClassLoader loader = plugin.getPluginClassLoader();
    assertBundled(
        plugin,
        "com.google.cloud.run.v2.JobsClient",
        "com.google.api.gax.httpjson.InstantiatingHttpJsonChannelProvider",
        "com.google.protobuf.Message",
        "com.google.auth.oauth2.ServiceAccountCredentials");
    assertThat(loader.getResource("io/grpc/netty/shaded/io/grpc/netty/NettyServer.class"))
        .as("the gRPC transport is left out: the plugin speaks HTTP/JSON only")
        .isNull();
    long size = Files.size(Path.of(System.getProperty("plugin.jar")));
    System.out.println("plugin jar size: " + size + " bytes");

    // The jar's own classes talk to Cloud Run: token exchange, REST calls, operations.
    try (FakeCloudRun cloudRun = FakeCloudRun.start()) {
      String key = cloudRun.oauth().newServiceAccountKey("hodei-plugin-jar");
      provider.initialize(
          new ProviderContext(
              "jar",
              "install-jar",
              new ProviderConfig("jar", TestSettings.forFake(cloudRun)),
              TestingCredentialHandle.empty().with(TestSettings.KEY_REFERENCE, key),
              new RecordingEventSink(),
              TestingClock.startingNow()));
      try {
        assertThat(provider.health().acceptsWork()).as(provider.health().detail()).isTrue();
        WorkerHandle handle = provider.provision(TestWorkers.spec());
        assertThat(provider.status(handle).state()).isEqualTo(WorkerState.RUNNING);
        provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.JOB_FINISHED));
        assertThat(cloudRun.executions()).isEmpty();
      } finally {
        provider.close();
      }
    }
  }
}
