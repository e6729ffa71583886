package io.hodei.server.plugins;

import io.hodei.plugin.api.WorkerManagerProvider;
import org.pf4j.ExtensionFactory;

/**
 * One provider type as a started plugin offers it: what the host needs to create instances of it.
 *
 * @param loadId which load of the plugin this is; a new load (an upgrade) has a new id
 * @param pluginId the plugin's id
 * @param pluginVersion the plugin's version
 * @param type the provider type
 * @param extension the provider class, from the plugin's class loader
 * @param factory PF4J's extension factory, which instantiates it
 */
record ProviderOffer(
    long loadId,
    String pluginId,
    String pluginVersion,
    String type,
    Class<? extends WorkerManagerProvider> extension,
    ExtensionFactory factory) {

  ClassLoader loader() {
    return extension.getClassLoader();
  }

  /** A fresh, uninitialized provider instance. */
  WorkerManagerProvider newProvider() {
    return factory.create(extension);
  }

  String label() {
    return "plugin " + pluginId + " " + pluginVersion;
  }
}
