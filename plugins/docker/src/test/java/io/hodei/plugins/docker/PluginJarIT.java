package io.hodei.plugins.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.PluginJarContractTest;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.time.Clock;
import java.util.Map;
import org.pf4j.PluginWrapper;

/**
 * The packaged jar loads through PF4J, and talks to the engine with the Docker client shaded inside
 * it.
 */
class PluginJarIT extends PluginJarContractTest {

  @Override
  protected String pluginId() {
    return "docker";
  }

  @Override
  protected void verifyLoaded(PluginWrapper plugin, WorkerManagerProvider provider)
      throws Exception {
    assertBundled(plugin, "com.github.dockerjava.api.DockerClient");

    provider.initialize(
        new ProviderContext(
            "docker-jar-it",
            "jar-it",
            new ProviderConfig(
                "docker-jar-it", Map.of("host", DockerCli.SOCKET, "injectAgent", "false")),
            TestingCredentialHandle.empty(),
            new RecordingEventSink(),
            Clock.systemUTC()));
    try {
      assertThat(provider.health())
          .as("health() through the shaded client")
          .isEqualTo(ProviderHealth.healthy());
      assertThat(provider.list()).isEmpty();
    } finally {
      provider.close();
    }
  }
}
