package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.PluginJarContractTest;
import org.pf4j.PluginWrapper;

/** The packaged jar loads through PF4J, with the Azure SDK it bundles. */
class PluginJarIT extends PluginJarContractTest {

  @Override
  protected String pluginId() {
    return "aci";
  }

  @Override
  protected void verifyLoaded(PluginWrapper plugin, WorkerManagerProvider provider)
      throws Exception {
    ClassLoader loader = plugin.getPluginClassLoader();
    for (String sdkClass :
        new String[] {
          "com.azure.resourcemanager.containerinstance.fluent.ContainerGroupsClient",
          "com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder",
          "com.azure.identity.ClientSecretCredential",
          "reactor.core.publisher.Mono"
        }) {
      assertThat(loader.loadClass(sdkClass).getClassLoader())
          .as("%s must come from the plugin jar, not the host", sdkClass)
          .isSameAs(loader);
    }
    assertThat(provider.describe().capabilities().listsWorkers()).isTrue();
  }
}
