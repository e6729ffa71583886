package io.hodei.plugins.kubernetes;

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
    assertBundled(plugin, "io.fabric8.kubernetes.client.KubernetesClient");
  }
}
