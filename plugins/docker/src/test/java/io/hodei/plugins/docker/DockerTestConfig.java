package io.hodei.plugins.docker;

import io.hodei.plugin.api.WorkerSpec;
import java.util.HashMap;
import java.util.Map;

/** Provider settings and specs the Docker tests share. */
final class DockerTestConfig {

  private DockerTestConfig() {}

  /** Workers from the stock image, with the agent runtime mounted into them. */
  static Map<String, String> injecting(TestImages.Built images) {
    Map<String, String> config = new HashMap<>();
    config.put("host", DockerCli.SOCKET);
    config.put("defaultImage", images.stockImage());
    config.put("pullPolicy", "never");
    config.put("agentRuntime", images.agentRuntime().toAbsolutePath().toString());
    config.put("stopGrace", "2s");
    return config;
  }

  /** Workers from the image that starts the agent itself. */
  static Map<String, String> agentImage(TestImages.Built images) {
    Map<String, String> config = new HashMap<>();
    config.put("host", DockerCli.SOCKET);
    config.put("defaultImage", images.agentImage());
    config.put("pullPolicy", "never");
    config.put("injectAgent", "false");
    config.put("stopGrace", "2s");
    return config;
  }

  /** Adds the test label, so that whatever a failed test leaves is removed when the run ends. */
  static WorkerSpec labelled(WorkerSpec spec) {
    Map<String, String> labels = new HashMap<>(spec.labels());
    labels.put(TestImages.TEST_LABEL, TestImages.TEST_LABEL_VALUE);
    return new WorkerSpec(
        spec.workerId(), spec.image(), spec.resources(), spec.env(), labels, spec.maxLifetime());
  }

  static Map<String, String> labelsOf(String containerId) {
    Map<String, String> labels = new HashMap<>();
    String lines =
        DockerCli.inspect(
            containerId, "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}{{println}}{{end}}");
    for (String line : lines.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        labels.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return labels;
  }
}
