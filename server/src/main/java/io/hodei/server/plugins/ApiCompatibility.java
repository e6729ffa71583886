package io.hodei.server.plugins;

import java.util.Optional;
import org.pf4j.VersionManager;

/**
 * Whether a plugin's {@code Plugin-Requires} range admits the plugin API this server offers. A bare
 * version such as {@code 1.2.0} means "that version or later", as in PF4J.
 */
final class ApiCompatibility {

  private final String offered;
  private final VersionManager versions;

  ApiCompatibility(String offered, VersionManager versions) {
    this.offered = offered;
    this.versions = versions;
  }

  String offered() {
    return offered;
  }

  /** Why the plugin cannot run on this server, or empty when it can. */
  Optional<String> refusal(String pluginId, String requires) {
    String range = requires == null ? "" : requires.trim();
    if (range.isEmpty() || range.equals("*")) {
      return Optional.empty();
    }
    String constraint = range.matches("\\d+\\.\\d+\\.\\d+") ? ">=" + range : range;
    boolean satisfied;
    try {
      satisfied = versions.checkVersionConstraint(offered, constraint);
    } catch (RuntimeException e) {
      return Optional.of(
          "plugin "
              + pluginId
              + " declares Plugin-Requires '"
              + range
              + "', which is not a version range ("
              + e.getMessage()
              + "); use a range such as '>=1.0.0 & <2.0.0'");
    }
    if (satisfied) {
      return Optional.empty();
    }
    return Optional.of(
        "plugin "
            + pluginId
            + " requires plugin API '"
            + range
            + "' but this server offers "
            + offered
            + "; install a version of the plugin built for "
            + offered);
  }
}
