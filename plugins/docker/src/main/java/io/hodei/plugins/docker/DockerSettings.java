package io.hodei.plugins.docker;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One Docker provider instance's settings, parsed and checked once at initialize.
 *
 * @param host the engine's API address: {@code unix:///path} or {@code tcp://host:port}
 * @param networkMode the containers' network; {@code host} lets the agent reach a server on
 *     loopback
 * @param defaultImage the image for specs that name none
 * @param pullPolicy when to pull images
 * @param registryCredential reference of the registry login used for pulls
 * @param tlsCredential reference of the client certificate, key and CA for a TCP engine
 * @param volumes extra binds for every container, in Docker's {@code src:dst[:mode]} form
 * @param dns DNS servers for the containers
 * @param extraHosts extra {@code /etc/hosts} entries, {@code name:address}
 * @param injectAgent whether to mount {@code agentRuntime} and run the agent from it
 * @param agentRuntime a directory on the engine's host holding {@code bin/java} and {@code
 *     hodei-agent.jar}
 * @param stopGrace how long a container gets between SIGTERM and SIGKILL on terminate
 */
record DockerSettings(
    URI host,
    String networkMode,
    Optional<String> defaultImage,
    PullPolicy pullPolicy,
    Optional<String> registryCredential,
    Optional<String> tlsCredential,
    List<String> volumes,
    List<String> dns,
    List<String> extraHosts,
    boolean injectAgent,
    Optional<String> agentRuntime,
    Duration stopGrace) {

  static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  /** Where the agent runtime is mounted inside every container when it is injected. */
  static final String AGENT_MOUNT = "/opt/hodei";

  static DockerSettings from(String instanceName, ProviderConfig config) {
    URI host = parseHost(instanceName, config.get("host", DEFAULT_HOST));
    Optional<String> tls = config.get("tlsCredential").map(String::trim);
    if (host.getScheme().equals("tcp") && tls.isEmpty()) {
      throw invalid(
          instanceName,
          "host "
              + host
              + " is TCP but 'tlsCredential' is not set: an engine's API gives root on its host,"
              + " so this provider only speaks TLS with a client certificate over TCP; set"
              + " 'tlsCredential' to the reference of the client certificate, key and CA");
    }
    String pull = config.get("pullPolicy", PullPolicy.IF_NOT_PRESENT.configValue());
    PullPolicy pullPolicy =
        PullPolicy.parse(pull)
            .orElseThrow(
                () ->
                    invalid(
                        instanceName,
                        "setting 'pullPolicy' must be always, if-not-present or never, got '"
                            + pull
                            + "'"));
    boolean inject = config.getBoolean("injectAgent", true);
    Optional<String> runtime = config.get("agentRuntime").map(String::trim);
    if (inject && runtime.isEmpty()) {
      throw invalid(
          instanceName,
          "'agentRuntime' is required while 'injectAgent' is true: set it to a directory on the"
              + " engine's host holding bin/java and hodei-agent.jar, or set 'injectAgent=false'"
              + " when the images start the agent themselves");
    }
    Duration grace = config.getDuration("stopGrace", Duration.ofSeconds(10));
    if (grace.isNegative()) {
      throw invalid(instanceName, "setting 'stopGrace' cannot be negative, got " + grace);
    }
    return new DockerSettings(
        host,
        config.get("networkMode", "host").trim(),
        config.get("defaultImage").map(String::trim),
        pullPolicy,
        config.get("registryCredential").map(String::trim),
        tls,
        list(config, "volumes"),
        list(config, "dns"),
        list(config, "extraHosts"),
        inject,
        runtime,
        grace);
  }

  /** Whether the engine runs on this machine, so that host paths here are its paths too. */
  boolean isLocalEngine() {
    return host.getScheme().equals("unix");
  }

  private static URI parseHost(String instanceName, String text) {
    URI uri;
    try {
      uri = URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      throw invalid(instanceName, "setting 'host' is not a URI: '" + text + "'");
    }
    if (!"unix".equals(uri.getScheme()) && !"tcp".equals(uri.getScheme())) {
      throw invalid(
          instanceName,
          "setting 'host' must be unix:///path/to/docker.sock or tcp://host:port, got '"
              + text
              + "'");
    }
    return uri;
  }

  /** A comma-separated list; blank entries are dropped. */
  private static List<String> list(ProviderConfig config, String key) {
    return config
        .get(key)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  private static ProviderException invalid(String instanceName, String problem) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION,
        "docker provider instance '" + instanceName + "': " + problem);
  }
}
