package io.hodei.server.controller;

import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

/** Where workers reach this server's gRPC service, which shares the HTTP port. */
@ApplicationScoped
public class WorkerAddress {

  private final ControllerSettings settings;

  public WorkerAddress(ControllerSettings settings) {
    this.settings = settings;
  }

  public String get() {
    return settings.advertisedAddress().orElseGet(() -> "localhost:" + httpPort());
  }

  /** The port actually bound: with port 0, Quarkus publishes the chosen one as a property. */
  private static int httpPort() {
    String key =
        LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
    String published = System.getProperty(key);
    if (published != null && !published.isBlank() && !published.equals("0")) {
      return Integer.parseInt(published.trim());
    }
    return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(8080);
  }
}
