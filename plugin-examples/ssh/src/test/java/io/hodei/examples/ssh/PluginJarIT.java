package io.hodei.examples.ssh;

import io.hodei.plugin.tck.PluginJarContractTest;

/** The packaged jar loads through PF4J as the plugin 'ssh'. */
class PluginJarIT extends PluginJarContractTest {

  @Override
  protected String pluginId() {
    return "ssh";
  }
}
