package io.hodei.plugins.kubernetes;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.Resources;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One provider instance's settings, read and checked once at initialize; see the configuration
 * reference in {@code docs/providers/kubernetes.md}.
 */
record KubernetesSettings(
    String instanceName,
    Connection connection,
    String namespace,
    boolean namespacePerTenant,
    String tenantLabel,
    String namespacePrefix,
    WorkloadKind workloadKind,
    int ttlSecondsAfterFinished,
    String deletePropagation,
    Optional<String> defaultImage,
    boolean injectAgent,
    String agentImage,
    List<String> agentCommand,
    Optional<String> serviceAccount,
    boolean automountServiceAccountToken,
    long runAsUser,
    Optional<String> nodeSelector,
    Optional<String> tolerations,
    Optional<String> affinity,
    String gpuResourceName,
    Resources maxPerWorker,
    int maxWorkers,
    List<String> architectures,
    List<String> imagePullSecretCredentials,
    boolean networkPolicy,
    Optional<String> controlPlaneCidr,
    Optional<Integer> controlPlanePort,
    List<String> egressCidrs,
    Duration pendingTimeout,
    Duration pendingCheckInterval,
    int terminationGraceSeconds,
    List<String> decorators,
    Optional<String> decoratorsDir) {

  /** How to reach the API server; every secret is a credential reference, never a value. */
  record Connection(
      boolean inCluster,
      Optional<String> kubeconfigCredential,
      Optional<String> apiUrl,
      Optional<String> tokenCredential,
      Optional<String> clientCertCredential,
      Optional<String> caCredential,
      boolean insecureSkipTlsVerify,
      Duration requestTimeout) {

    /** The references whose rotation must rebuild the client. */
    List<String> references() {
      return java.util.stream.Stream.of(
              kubeconfigCredential, tokenCredential, clientCertCredential, caCredential)
          .flatMap(Optional::stream)
          .toList();
    }
  }

  static KubernetesSettings read(String instanceName, ProviderConfig config) {
    Connection connection = readConnection(instanceName, config);
    boolean networkPolicy = config.getBoolean("networkPolicy", true);
    Optional<String> controlPlaneCidr = config.get("controlPlaneCidr").map(String::trim);
    if (networkPolicy && controlPlaneCidr.isEmpty()) {
      throw invalid(
          instanceName,
          "setting 'controlPlaneCidr' is required while 'networkPolicy' is true: set it to the"
              + " address range workers reach the control plane at (e.g. 10.0.0.15/32), or set"
              + " networkPolicy=false to manage egress yourself");
    }
    String agentCommand =
        config.get(
            "agentCommand",
            config.getBoolean("injectAgent", true)
                ? "/opt/hodei/bin/java -jar /opt/hodei/hodei-agent.jar"
                : "");
    return new KubernetesSettings(
        instanceName,
        connection,
        config.get("namespace", "default"),
        config.getBoolean("namespacePerTenant", false),
        config.get("tenantLabel", "hodei.tenant"),
        config.get("namespacePrefix", "hodei-"),
        WorkloadKind.parse(instanceName, config.get("workloadKind", "Job")),
        config.getInt("ttlSecondsAfterFinished", 300),
        propagation(instanceName, config.get("deletePropagation", "Background")),
        config.get("defaultImage"),
        config.getBoolean("injectAgent", true),
        agentImage(instanceName, config),
        words(agentCommand, " "),
        config.get("serviceAccount"),
        config.getBoolean("automountServiceAccountToken", false),
        config.getInt("runAsUser", 10001),
        config.get("nodeSelector"),
        config.get("tolerations"),
        config.get("affinity"),
        config.get("gpuResourceName", "nvidia.com/gpu"),
        new Resources(
            config.getInt("maxCpuMillis", 64_000),
            config.getInt("maxMemoryMib", 262_144),
            config.getInt("maxGpus", 0),
            config.getInt("maxDiskMib", 1_048_576)),
        config.getInt("maxWorkers", 0),
        words(config.get("architectures", "amd64"), ","),
        words(config.get("imagePullSecretCredentials", ""), ","),
        networkPolicy,
        controlPlaneCidr,
        config.get("controlPlanePort").map(p -> config.getInt("controlPlanePort", 0)),
        words(config.get("egressCidrs", ""), ","),
        config.getDuration("pendingTimeout", Duration.ofMinutes(5)),
        config.getDuration("pendingCheckInterval", Duration.ofSeconds(10)),
        config.getInt("terminationGracePeriodSeconds", 30),
        words(config.get("decorators", ""), ","),
        config.get("decoratorsDir"));
  }

  /** The largest single worker, as {@code describe()} reports before any configuration. */
  static Resources defaultMaxPerWorker() {
    return new Resources(64_000, 262_144, 0, 1_048_576);
  }

  private static Connection readConnection(String instanceName, ProviderConfig config) {
    boolean inCluster = config.getBoolean("inCluster", false);
    Optional<String> kubeconfig = config.get("kubeconfigCredential");
    Optional<String> apiUrl = config.get("apiUrl");
    Optional<String> token = config.get("tokenCredential");
    Optional<String> clientCert = config.get("clientCertCredential");
    int modes =
        (inCluster ? 1 : 0) + (kubeconfig.isPresent() ? 1 : 0) + (apiUrl.isPresent() ? 1 : 0);
    if (modes != 1) {
      throw invalid(
          instanceName,
          "set exactly one way to reach the API server: inCluster=true, kubeconfigCredential=<ref>,"
              + " or apiUrl=<https://host:port> with tokenCredential=<ref> or"
              + " clientCertCredential=<ref>");
    }
    if (apiUrl.isPresent() && token.isEmpty() && clientCert.isEmpty()) {
      throw invalid(
          instanceName,
          "setting 'apiUrl' needs 'tokenCredential' or 'clientCertCredential' (a credential"
              + " reference, never the value itself)");
    }
    return new Connection(
        inCluster,
        kubeconfig,
        apiUrl,
        token,
        clientCert,
        config.get("caCredential"),
        config.getBoolean("insecureSkipTlsVerify", false),
        config.getDuration("requestTimeout", Duration.ofSeconds(15)));
  }

  private static String agentImage(String instanceName, ProviderConfig config) {
    Optional<String> image = config.get("agentImage");
    if (image.isEmpty() && config.getBoolean("injectAgent", true)) {
      throw invalid(
          instanceName,
          "setting 'agentImage' is required while 'injectAgent' is true: name an image holding a"
              + " Java runtime and the agent under /opt/hodei (bin/java, hodei-agent.jar), or set"
              + " injectAgent=false when worker images bring the agent themselves");
    }
    return image.orElse("");
  }

  private static String propagation(String instanceName, String text) {
    for (String known : List.of("Background", "Foreground")) {
      if (known.equalsIgnoreCase(text.trim())) {
        return known;
      }
    }
    throw invalid(
        instanceName, "setting 'deletePropagation' must be Background or Foreground, got " + text);
  }

  private static List<String> words(String text, String separator) {
    return Arrays.stream(text.split(separator))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static ProviderException invalid(String instanceName, String problem) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION, "provider instance '" + instanceName + "': " + problem);
  }
}
