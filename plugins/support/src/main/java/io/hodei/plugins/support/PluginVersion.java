package io.hodei.plugins.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * A plugin's own version, from a properties file the build filters ({@code
 * version=${project.version}}). The PF4J manifest carries it too, but a provider cannot reach its
 * plugin wrapper, and its unit tests run from classes without a manifest.
 */
public final class PluginVersion {

  private PluginVersion() {}

  /**
   * @param anchor a class of the plugin; {@code resource} is resolved next to it
   * @param resource e.g. {@code plugin.properties}
   * @throws IllegalStateException if the file or its {@code version} is missing: a build fault
   */
  public static String of(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource + " is missing next to " + anchor.getName() + " in the plugin jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version");
      if (version == null || version.isBlank()) {
        throw new IllegalStateException(resource + " of " + anchor.getName() + " has no version");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
