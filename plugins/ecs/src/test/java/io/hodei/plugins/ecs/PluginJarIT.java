package io.hodei.plugins.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.PluginJarContractTest;
import org.pf4j.PluginWrapper;

/** The packaged jar loads through PF4J, with the AWS SDK it bundles. */
class PluginJarIT extends PluginJarContractTest {

  @Override
  protected String pluginId() {
    return "ecs";
  }

  @Override
  protected void verifyLoaded(PluginWrapper plugin, WorkerManagerProvider provider)
      throws Exception {
    ClassLoader loader = plugin.getPluginClassLoader();
    assertBundled(
        plugin,
        "software.amazon.awssdk.services.ecs.EcsClient",
        "software.amazon.awssdk.services.sts.StsClient",
        "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient");
    assertThat(
            loader.getResource(
                "software/amazon/awssdk/http/nio/netty/NettyNioAsyncHttpClient.class"))
        .as("the Netty HTTP client is excluded from the jar")
        .isNull();
    assertThat(loader.getResource("software/amazon/awssdk/http/apache/ApacheHttpClient.class"))
        .as("the Apache HTTP client is excluded from the jar")
        .isNull();
  }
}
