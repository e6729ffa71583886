package io.hodei.plugins.local;

import io.hodei.plugin.tck.PluginJarContractTest;

/** The packaged jar loads through PF4J as the plugin 'local'. */
class PluginJarIT extends PluginJarContractTest {

  @Override
  protected String pluginId() {
    return "local";
  }
}
