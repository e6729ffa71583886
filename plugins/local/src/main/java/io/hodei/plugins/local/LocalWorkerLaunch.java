package io.hodei.plugins.local;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a worker's agent process in its work directory, inside its sandbox when there is one, with
 * its environment and output file.
 */
final class LocalWorkerLaunch {

  static final String LOG_FILE = "worker.log";

  private LocalWorkerLaunch() {}

  static Process start(
      LocalSettings settings,
      Sandbox sandbox,
      Path directory,
      Map<String, String> env,
      String instanceName) {
    Path work = directory.resolve(WorkerStore.WORK);
    List<String> command = new ArrayList<>();
    // Its own session, so its jobs can be found and ended even after the agent itself died.
    ProcessGroup.setsid().ifPresent(command::add);
    command.addAll(sandbox.wrap(settings.agentCommand().arguments(), work, env));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(sandbox.hostDirectory(work).toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve(LOG_FILE).toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // Only named variables of the server pass on: its environment may hold its own secrets.
    Map<String, String> environment = builder.environment();
    environment.keySet().retainAll(settings.inheritEnv());
    environment.putAll(env);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "local provider instance '"
              + instanceName
              + "': cannot start agentCommand "
              + settings.agentCommand().arguments()
              + ": "
              + e.getMessage()
              + "; check that the executable exists and is executable",
          e);
    }
  }
}
