package io.hodei.plugins.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.PluginJarContractTest;
import org.pf4j.PluginWrapper;

/** The packaged jar loads through PF4J, with the fabric8 client it bundles. */
class PluginJarIT extends PluginJarContractTest {

  @Override
  protected String pluginId() {
    return "kubernetes";
  }

  @Override
  protected void verifyLoaded(PluginWrapper plugin, WorkerManagerProvider provider)
      throws Exception {
    assertThat(
            plugin
                .getPluginClassLoader()
                .loadClass("io.fabric8.kubernetes.client.KubernetesClient")
                .getClassLoader())
        .as("the fabric8 client must come from the plugin jar, not the host")
        .isSameAs(plugin.getPluginClassLoader());
  }
}
