package io.hodei.server.plugins;

import io.hodei.plugin.api.ProviderContext;
import java.util.List;
import java.util.Set;

/**
 * The provider plugins loaded from the plugins directory, and the door through which the control
 * plane opens provider instances of the types they offer.
 */
public interface PluginHost {

  /** Every plugin the host knows, loaded or refused, with its state and failure cause. */
  List<PluginInfo> plugins();

  /** The provider types offered by plugins that are started now. */
  Set<String> providerTypes();

  /**
   * Creates and initializes a provider instance of {@code type} with {@code context}.
   *
   * <p>The instance follows its plugin: when the plugin is replaced by a new version, the instance
   * is closed and initialized again on the new one; while the plugin is absent or failed, calls
   * fail with {@code UNAVAILABLE}.
   *
   * <p>Blocks while the provider initializes, for at most the call timeout ({@code
   * hodei.plugins.call-timeout}): do not call it on an event-loop thread. An {@code initialize}
   * that throws something other than a {@code ProviderException}, or overruns the timeout and
   * ignores its interruption, also marks the plugin FAILED.
   *
   * @throws io.hodei.plugin.api.ProviderException {@code INVALID_CONFIGURATION} when no started
   *     plugin offers {@code type} (the message lists the types on offer), or whatever the
   *     provider's own {@code initialize} threw
   */
  ManagedProvider open(String type, ProviderContext context);
}
