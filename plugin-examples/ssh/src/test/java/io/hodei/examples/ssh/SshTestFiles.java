package io.hodei.examples.ssh;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.WorkerHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Probes into the remote side for tests, over the same ssh the provider uses. */
final class SshTestFiles {

  private SshTestFiles() {}

  /** The environment the remote kernel holds for the worker's process. */
  static Map<String, String> remoteEnvironment(ProviderConfig config, WorkerHandle handle) {
    SshSettings settings = SshSettings.from("probe", config);
    SshClient.Result result =
        new SshClient(settings)
            .run(
                SshHost.parse(handle.attributes().get(SshProvider.ATTR_HOST)),
                new RemoteScripts(settings).environment(handle.attributes().get("pid")));
    Map<String, String> environment = new HashMap<>();
    for (String line : result.stdout().split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        environment.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return environment;
  }

  /** The labels in the worker's remote state file. */
  static Map<String, String> remoteLabels(ProviderConfig config, WorkerHandle handle) {
    SshSettings settings = SshSettings.from("probe", config);
    SshHost host = SshHost.parse(handle.attributes().get(SshProvider.ATTR_HOST));
    SshClient.Result result =
        new SshClient(settings).run(host, new RemoteScripts(settings).status(handle.workerId()));
    return RemoteWorker.parseOne(host, result.stdout()).orElseThrow().labels();
  }

  static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
