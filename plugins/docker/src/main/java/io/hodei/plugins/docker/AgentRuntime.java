package io.hodei.plugins.docker;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the injected agent runtime directory, where this host can see it. */
final class AgentRuntime {

  private AgentRuntime() {}

  /**
   * Fails initialize when the directory lacks what the containers will run. Only for a local
   * engine: a remote engine's paths are not this host's, so there the first worker tells.
   */
  static void check(String instanceName, DockerSettings settings) {
    if (!settings.injectAgent() || !settings.isLocalEngine()) {
      return;
    }
    Path dir = Path.of(settings.agentRuntime().orElseThrow());
    for (Path needed :
        new Path[] {dir.resolve("bin/java"), dir.resolve(WorkerContainer.AGENT_JAR)}) {
      if (!Files.isRegularFile(needed)) {
        throw new ProviderException(
            ErrorCode.INVALID_CONFIGURATION,
            "docker provider instance '"
                + instanceName
                + "': agentRuntime "
                + dir
                + " has no "
                + dir.relativize(needed)
                + "; it must hold a Java 17+ runtime (bin/java, e.g. made with jlink) and "
                + WorkerContainer.AGENT_JAR);
      }
    }
  }
}
