package io.hodei.server.plugins;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Makes the plugin host a bean. Plugin extensions themselves are not beans: Quarkus never adds
 * runtime-dropped jars to its class path, so the host hands out provider instances itself.
 */
@ApplicationScoped
public class PluginHostProducer {

  /** Started with the server: the plugins directory is loaded and watched from the start. */
  @Produces
  @Singleton
  @Startup
  DirectoryPluginHost pluginHost(PluginsConfig config) {
    DirectoryPluginHost host =
        new DirectoryPluginHost(PluginHostSettings.from(config), Clock.systemUTC());
    host.start();
    return host;
  }

  void stop(@Disposes DirectoryPluginHost host) {
    host.close();
  }
}
