package io.hodei.server.plugins;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The plugin host's configuration keys, {@code hodei.plugins.*}. */
@ConfigMapping(prefix = "hodei.plugins")
public interface PluginsConfig {

  /** Where plugin jars and zips are dropped; watched while the server runs. */
  @WithDefault("${hodei.home}/plugins")
  Path dir();

  /**
   * Where the host keeps private copies of the plugins it loaded (and unpacks zips), so that a file
   * rewritten in the plugins directory never changes code that is running.
   */
  @WithDefault("${hodei.home}/plugin-copies")
  Path workDir();

  /**
   * Trusted plugin files: SHA-256 values in hex, or {@code file-name=sha256}. When set, any other
   * plugin file is refused. When unset, every plugin file loads.
   */
  Optional<List<String>> checksums();

  /** The deadline of every call into a provider; an overrun fails the call with TIMEOUT. */
  @WithDefault("60s")
  Duration callTimeout();

  /**
   * How long a call that overran its deadline has to end once its thread is interrupted. A call
   * still running after that ignores interruption and holds one of its instance's threads: its
   * plugin is marked failed.
   */
  @WithDefault("10s")
  Duration interruptGrace();

  /** Threads per provider instance. */
  @WithDefault("4")
  int callThreads();

  /**
   * Calls that may wait per provider instance before new ones are refused. One placement pass may
   * start {@code hodei.controller.batch-size} (100) provision calls on one instance: the default
   * holds two passes' worth, so a burst of jobs waits here instead of failing attempts.
   */
  @WithDefault("256")
  int callQueue();

  /** How often the plugins directory is scanned for new, changed and removed files. */
  @WithDefault("1s")
  Duration scanInterval();

  /** How long a file must stay unmodified before it is loaded (it may still be being copied). */
  @WithDefault("1s")
  Duration quietPeriod();
}
