package io.hodei.plugin.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.WorkerManagerProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Checks the packaged plugin jar the way the server will use it: dropped into a plugins directory,
 * loaded by PF4J, its manifest, extension index and class loader in order. Extend it in an
 * integration test (run after {@code package}) and pass the jar's path as the system property
 * {@code plugin.jar}.
 */
public abstract class PluginJarContractTest {

  @TempDir Path pluginsDir;

  /** The {@code Plugin-Id} the jar must declare. */
  protected abstract String pluginId();

  /** The provider type the plugin offers; by default the plugin id. */
  protected String providerType() {
    return pluginId();
  }

  /** Plugin-specific checks on the loaded plugin, e.g. that its SDK comes from the jar. */
  protected void verifyLoaded(PluginWrapper plugin, WorkerManagerProvider provider)
      throws Exception {}

  /**
   * Asserts that each class loads from the plugin's own jar, not from the host: the plugin bundles
   * its SDK, so the server's versions of the same libraries can never be mixed in.
   */
  protected static void assertBundled(PluginWrapper plugin, String... classNames)
      throws ClassNotFoundException {
    ClassLoader loader = plugin.getPluginClassLoader();
    for (String className : classNames) {
      assertThat(loader.loadClass(className).getClassLoader())
          .as("%s must come from the plugin jar, not the host", className)
          .isSameAs(loader);
    }
  }

  @Test
  void thePackagedJarLoadsThroughPf4jWithItsProvider() throws Exception {
    String property = System.getProperty("plugin.jar");
    assertThat(property)
        .as("set the system property plugin.jar to the packaged jar (failsafe configuration)")
        .isNotBlank();
    Path jar = Path.of(property);
    Files.copy(jar, pluginsDir.resolve(jar.getFileName()));
    PluginManager plugins = new DefaultPluginManager(pluginsDir);
    plugins.setSystemVersion(PluginApi.VERSION);

    plugins.loadPlugins();
    plugins.startPlugins();
    try {
      PluginWrapper plugin = plugins.getPlugin(pluginId());
      assertThat(plugin).as("a plugin with id '%s' in %s", pluginId(), jar).isNotNull();
      assertThat(plugin.getPluginState()).isEqualTo(PluginState.STARTED);
      assertThat(plugin.getDescriptor().getRequires())
          .as("the plugin API range it needs (Plugin-Requires)")
          .isNotBlank()
          .isNotEqualTo("*");

      List<WorkerManagerProvider> providers =
          plugins.getExtensions(WorkerManagerProvider.class, pluginId());
      assertThat(providers).as("providers listed in META-INF/extensions.idx").hasSize(1);
      WorkerManagerProvider provider = providers.get(0);
      assertThat(provider.describe().type()).isEqualTo(providerType());
      assertThat(provider.getClass().getClassLoader())
          .as("the provider class comes from the plugin jar, not the test class path")
          .isSameAs(plugin.getPluginClassLoader());
      verifyLoaded(plugin, provider);
    } finally {
      // unloadPlugins stops each plugin first; PF4J 3.15's stopPlugins() trips over its own list.
      plugins.unloadPlugins();
    }
  }
}
