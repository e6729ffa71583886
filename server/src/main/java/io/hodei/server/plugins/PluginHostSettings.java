package io.hodei.server.plugins;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the plugin host behaves; see {@link PluginsConfig} for the configuration keys.
 *
 * @param directory where operators drop plugin jars and zips
 * @param workDirectory where the host keeps its private copies of loaded plugins
 * @param allowList the checksums of trusted plugin files, if any
 * @param callTimeout the deadline of every call into a provider
 * @param interruptGrace how long an overrun call has to end after its interruption before its
 *     plugin counts as hanging
 * @param callThreads threads per provider instance
 * @param callQueue calls that may wait per provider instance before new ones are refused
 * @param scanInterval how often the directory is scanned for changes
 * @param quietPeriod how long a file must stay unmodified before it is loaded
 */
record PluginHostSettings(
    Path directory,
    Path workDirectory,
    ChecksumAllowList allowList,
    Duration callTimeout,
    Duration interruptGrace,
    int callThreads,
    int callQueue,
    Duration scanInterval,
    Duration quietPeriod) {

  PluginHostSettings {
    if (callThreads < 1 || callQueue < 1) {
      throw new IllegalArgumentException(
          "hodei.plugins.call-threads and hodei.plugins.call-queue must be at least 1, got "
              + callThreads
              + " and "
              + callQueue);
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException(
          "hodei.plugins.call-timeout must be positive, got " + callTimeout);
    }
    if (interruptGrace.isNegative()) {
      throw new IllegalArgumentException(
          "hodei.plugins.interrupt-grace must not be negative, got " + interruptGrace);
    }
  }

  static PluginHostSettings from(PluginsConfig config) {
    return new PluginHostSettings(
        config.dir(),
        config.workDir(),
        ChecksumAllowList.parse(config.checksums().orElse(List.of())),
        config.callTimeout(),
        config.interruptGrace(),
        config.callThreads(),
        config.callQueue(),
        config.scanInterval(),
        config.quietPeriod());
  }
}
