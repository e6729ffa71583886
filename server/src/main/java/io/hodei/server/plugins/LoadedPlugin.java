package io.hodei.server.plugins;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the host knows about the plugin in one file of the plugins directory.
 *
 * @param loadId this load's id; every load of a file gets a new one
 * @param file the file as it was when loaded
 * @param sha256 the checksum of the bytes that were loaded
 * @param id the plugin id, or the file name when the descriptor could not be read
 * @param version the plugin version, empty when unknown
 * @param requires the declared plugin API range, empty when unknown
 * @param providerTypes the provider types it offers (or offered, before it failed)
 * @param offers the provider types it offers now; empty unless STARTED
 * @param state its state
 * @param failureCause why it is FAILED or REFUSED
 * @param workFiles the host's private copy of it, to delete when it goes
 * @param inManager whether PF4J holds it (and must stop and unload it)
 * @param retryWhenOthersLeave whether it was refused for a clash with another plugin, and may load
 *     once that one is removed
 */
record LoadedPlugin(
    long loadId,
    PluginFile file,
    String sha256,
    String id,
    String version,
    String requires,
    List<String> providerTypes,
    Map<String, ProviderOffer> offers,
    PluginStatus state,
    Optional<String> failureCause,
    List<Path> workFiles,
    boolean inManager,
    boolean retryWhenOthersLeave) {

  LoadedPlugin {
    providerTypes = List.copyOf(providerTypes);
    offers = Map.copyOf(offers);
    workFiles = List.copyOf(workFiles);
  }

  PluginInfo info() {
    return new PluginInfo(
        id, version, requires, providerTypes, state, failureCause, file.path().toString(), sha256);
  }

  /** This plugin after a failure at run time; the host has unloaded it. */
  LoadedPlugin failed(String cause) {
    return new LoadedPlugin(
        loadId,
        file,
        sha256,
        id,
        version,
        requires,
        providerTypes,
        Map.of(),
        PluginStatus.FAILED,
        Optional.of(cause),
        List.of(),
        false,
        false);
  }

  /** This plugin after the host stopped and unloaded it. */
  LoadedPlugin stopped() {
    return new LoadedPlugin(
        loadId,
        file,
        sha256,
        id,
        version,
        requires,
        providerTypes,
        Map.of(),
        PluginStatus.STOPPED,
        failureCause,
        List.of(),
        false,
        false);
  }
}
