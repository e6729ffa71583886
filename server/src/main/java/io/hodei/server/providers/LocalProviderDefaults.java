package io.hodei.server.providers;

import io.hodei.server.home.BundledArtifacts;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fills in what a {@code local} provider instance needs and only the server knows: how to start the
 * agent this server ships, and a work directory under the Hodei home.
 */
@ApplicationScoped
public class LocalProviderDefaults {

  private final BundledArtifacts bundled;
  private final Path home;

  public LocalProviderDefaults(
      BundledArtifacts bundled, @ConfigProperty(name = "hodei.home") Path home) {
    this.bundled = bundled;
    this.home = home;
  }

  void fillIn(String instanceName, Map<String, String> settings) {
    settings.putIfAbsent("agentCommand", agentCommand());
    settings.putIfAbsent("workDir", home.resolve("workers").resolve(instanceName).toString());
  }

  /** Starts the agent on this server's own Java runtime, tuned for a small, short-lived process. */
  String agentCommand() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return java
        + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx128m -jar "
        + bundled.agentJar();
  }
}
