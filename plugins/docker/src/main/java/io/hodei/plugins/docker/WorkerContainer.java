package io.hodei.plugins.docker;

import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.WorkerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The container that runs one worker, as the engine is asked to create it: decided from the spec
 * and the instance's settings alone, so that it can be checked without an engine.
 *
 * @param name the container name, unique per installation and worker, so a retried provision finds
 *     the container an earlier attempt created
 * @param image the image reference
 * @param env the environment, {@code NAME=value}
 * @param labels the ownership labels
 * @param entrypoint the command that starts the agent when it is injected; empty runs the image's
 * @param binds volumes, {@code src:dst[:mode]}
 * @param networkMode the network
 * @param nanoCpus the CPU limit in billionths of a core; 0 for none
 * @param memoryBytes the memory limit; 0 for none
 * @param dns DNS servers
 * @param extraHosts extra hosts entries
 */
record WorkerContainer(
    String name,
    String image,
    List<String> env,
    Map<String, String> labels,
    Optional<List<String>> entrypoint,
    List<String> binds,
    String networkMode,
    long nanoCpus,
    long memoryBytes,
    List<String> dns,
    List<String> extraHosts) {

  /** Appended to a container's name while Hodei stops it, so that no watcher reports its end. */
  static final String TERMINATING_SUFFIX = "--terminating";

  static final String AGENT_JAR = "hodei-agent.jar";

  static WorkerContainer of(WorkerSpec spec, DockerSettings settings, String instanceName) {
    String image =
        spec.image()
            .filter(i -> !i.isBlank())
            .or(settings::defaultImage)
            .orElseThrow(
                () ->
                    new ProviderException(
                        ErrorCode.INVALID_SPEC,
                        "worker "
                            + spec.workerId()
                            + " names no image and docker provider instance '"
                            + instanceName
                            + "' has no 'defaultImage'; set one of them"));
    Map<String, String> labels = new TreeMap<>(spec.labels());
    // list() and the event watch select on it: two instances on one engine never mix workers.
    labels.put(PluginApi.LABEL_PROVIDER_INSTANCE, instanceName);
    labels.put(PluginApi.LABEL_MANAGED, "true");
    List<String> env = new ArrayList<>();
    new TreeMap<>(spec.env()).forEach((k, v) -> env.add(k + "=" + v));
    List<String> binds = new ArrayList<>(settings.volumes());
    Optional<List<String>> entrypoint = Optional.empty();
    if (settings.injectAgent()) {
      String runtime = settings.agentRuntime().orElseThrow();
      binds.add(runtime + ":" + DockerSettings.AGENT_MOUNT + ":ro");
      // Short start flags: a worker lives for one job, so the JIT's later tiers rarely pay off.
      entrypoint =
          Optional.of(
              List.of(
                  DockerSettings.AGENT_MOUNT + "/bin/java",
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-jar",
                  DockerSettings.AGENT_MOUNT + "/" + AGENT_JAR));
    }
    return new WorkerContainer(
        nameOf(spec.installationId(), spec.workerId()),
        image,
        List.copyOf(env),
        Map.copyOf(labels),
        entrypoint,
        List.copyOf(binds),
        settings.networkMode(),
        spec.resources().cpuMillis() * 1_000_000L,
        spec.resources().memoryMib() * 1024L * 1024L,
        settings.dns(),
        settings.extraHosts());
  }

  /** Docker names allow letters, digits, '_', '.' and '-'; anything else becomes '_'. */
  static String nameOf(String installationId, String workerId) {
    return "hodei-" + sanitize(installationId) + "-" + sanitize(workerId);
  }

  private static String sanitize(String text) {
    return text.replaceAll("[^a-zA-Z0-9_.-]", "_");
  }

  /** Masks the environment's values: the bootstrap token must not reach a log. */
  @Override
  public String toString() {
    return "WorkerContainer[name="
        + name
        + ", image="
        + image
        + ", env="
        + env.stream().map(e -> e.substring(0, e.indexOf('=') + 1) + "***").toList()
        + ", labels="
        + labels
        + ", entrypoint="
        + entrypoint
        + ", binds="
        + binds
        + ", networkMode="
        + networkMode
        + ", nanoCpus="
        + nanoCpus
        + ", memoryBytes="
        + memoryBytes
        + "]";
  }
}
