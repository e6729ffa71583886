package io.hodei.server.plugins;

import java.util.List;
import java.util.Optional;

/**
 * One plugin as {@code GET /api/v1/plugins} shows it.
 *
 * @param id the plugin id from its manifest
 * @param version the plugin's version
 * @param requires the plugin API range it declares ({@code Plugin-Requires})
 * @param providerTypes the provider types it offers
 * @param state where it is in its lifecycle
 * @param failureCause why it is FAILED or REFUSED, for people
 * @param path the file or directory it was loaded from
 * @param sha256 the checksum of that file
 */
public record PluginInfo(
    String id,
    String version,
    String requires,
    List<String> providerTypes,
    PluginStatus state,
    Optional<String> failureCause,
    String path,
    String sha256) {}
