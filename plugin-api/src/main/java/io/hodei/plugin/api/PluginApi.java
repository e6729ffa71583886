package io.hodei.plugin.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The plugin API's own version and the well-known names shared by host, plugins and agent. */
public final class PluginApi {

  /**
   * The version of this API, in semantic versioning. Plugins declare the range they need in their
   * manifest's {@code Plugin-Requires} (for example {@code >=1.0.0 & <2.0.0}); the host refuses a
   * plugin whose range excludes this version.
   */
  public static final String VERSION = readVersion();

  /** Environment variable carrying the worker's one-time bootstrap token. */
  public static final String ENV_BOOTSTRAP_TOKEN = "HODEI_BOOTSTRAP_TOKEN";

  /** Environment variable carrying the control plane's gRPC address, as {@code host:port}. */
  public static final String ENV_SERVER_ADDRESS = "HODEI_SERVER_ADDRESS";

  /** Environment variable carrying the worker's id. */
  public static final String ENV_WORKER_ID = "HODEI_WORKER_ID";

  /** Label present, with value {@code true}, on everything a Hodei provider creates. */
  public static final String LABEL_MANAGED = "hodei.managed";

  /** Label naming the Hodei installation that owns a worker. */
  public static final String LABEL_INSTALLATION = "hodei.installation";

  /** Label naming the worker id. */
  public static final String LABEL_WORKER = "hodei.worker";

  /** Label naming the provider instance that created a worker. */
  public static final String LABEL_PROVIDER_INSTANCE = "hodei.provider-instance";

  private PluginApi() {}

  private static String readVersion() {
    try (InputStream in = PluginApi.class.getResourceAsStream("plugin-api.properties")) {
      if (in == null) {
        throw new IllegalStateException("plugin-api.properties is missing from the plugin API jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
