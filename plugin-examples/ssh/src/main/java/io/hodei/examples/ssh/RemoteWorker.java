package io.hodei.examples.ssh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A worker as its remote state file describes it, plus whether its process is alive.
 *
 * @param host the machine it runs on
 * @param properties the state file's entries: {@code worker.id}, {@code pid}, {@code start}, {@code
 *     installation}, {@code provider.instance} and {@code label.*}
 * @param alive whether the process with that pid and start time still runs
 */
record RemoteWorker(SshHost host, Map<String, String> properties, boolean alive) {

  /** The line that starts each worker's block in a script's output. */
  static final String MARKER = "--- worker";

  String workerId() {
    return properties.getOrDefault("worker.id", "");
  }

  String pid() {
    return properties.getOrDefault("pid", "");
  }

  boolean ownedBy(String installationId, String instanceName) {
    return installationId.equals(properties.get("installation"))
        && instanceName.equals(properties.get("provider.instance"));
  }

  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    properties.forEach(
        (key, value) -> {
          if (key.startsWith("label.")) {
            labels.put(key.substring("label.".length()), value);
          }
        });
    return labels;
  }

  /** Reads the blocks that {@link RemoteScripts#describeFunctions()} prints. */
  static List<RemoteWorker> parse(SshHost host, String output) {
    List<RemoteWorker> workers = new ArrayList<>();
    Map<String, String> current = null;
    for (String line : output.split("\n")) {
      if (line.equals(MARKER)) {
        current = new LinkedHashMap<>();
        continue;
      }
      int equals = line.indexOf('=');
      if (current == null || equals <= 0) {
        continue;
      }
      String key = line.substring(0, equals);
      String value = line.substring(equals + 1);
      if (key.equals("alive")) {
        workers.add(new RemoteWorker(host, Map.copyOf(current), value.equals("true")));
        current = null;
      } else {
        current.put(key, value);
      }
    }
    return workers;
  }

  static Optional<RemoteWorker> parseOne(SshHost host, String output) {
    return parse(host, output).stream().findFirst();
  }
}
