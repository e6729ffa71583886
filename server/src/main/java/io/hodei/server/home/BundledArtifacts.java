package io.hodei.server.home;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Installs what the server distribution carries into the Hodei home at start: the worker agent,
 * which the {@code local} provider starts, and the {@code local} provider plugin itself, so that a
 * first start needs nothing else. A file that is already there with the same content is left alone.
 */
@ApplicationScoped
public class BundledArtifacts {

  private static final Logger LOG = Logger.getLogger(BundledArtifacts.class);
  static final String AGENT = "hodei-agent.jar";
  static final String LOCAL_PLUGIN = "hodei-plugin-local.jar";

  private final Path home;
  private final Path pluginsDir;
  private final boolean installPlugins;
  private final Optional<Path> configuredAgent;

  public BundledArtifacts(
      @ConfigProperty(name = "hodei.home") Path home,
      @ConfigProperty(name = "hodei.plugins.dir", defaultValue = "${hodei.home}/plugins")
          Path pluginsDir,
      @ConfigProperty(name = "hodei.bundled.install-plugins", defaultValue = "true")
          boolean installPlugins,
      @ConfigProperty(name = "hodei.agent.jar") Optional<Path> configuredAgent) {
    this.home = home;
    this.pluginsDir = pluginsDir;
    this.installPlugins = installPlugins;
    this.configuredAgent = configuredAgent;
  }

  void onStart(@Observes @Priority(5) StartupEvent event) {
    if (configuredAgent.isEmpty()) {
      install(AGENT, agentJar());
    }
    if (installPlugins) {
      install(LOCAL_PLUGIN, pluginsDir.resolve(LOCAL_PLUGIN));
    }
  }

  /** The agent jar that local workers run. */
  public Path agentJar() {
    return configuredAgent.orElse(home.resolve("agent").resolve(AGENT));
  }

  private void install(String resource, Path target) {
    try (InputStream in = getClass().getResourceAsStream("/bundled/" + resource)) {
      if (in == null) {
        LOG.warnf("This server build carries no %s; install it as %s yourself", resource, target);
        return;
      }
      byte[] content = in.readAllBytes();
      if (Files.exists(target) && Arrays.equals(Files.readAllBytes(target), content)) {
        return;
      }
      Files.createDirectories(target.getParent());
      // Write beside the target and move, so a directory watcher never sees half a jar.
      Path staged = target.resolveSibling("." + target.getFileName() + ".staged");
      Files.write(staged, content);
      Files.move(
          staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      LOG.infof("Installed %s", target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install " + resource + " into " + target, e);
    }
  }
}
