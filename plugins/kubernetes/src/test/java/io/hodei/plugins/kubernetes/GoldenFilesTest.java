package io.hodei.plugins.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingClock;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The objects a provider instance creates, as the API server stored them, compared with the YAML
 * under {@code src/test/resources/golden/}. After an intended change, regenerate them with {@code
 * -Dgolden.update=true} and review the diff.
 */
class GoldenFilesTest {

  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static MockCluster cluster;
  private final List<KubernetesProvider> providers = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    cluster = new MockCluster();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @AfterEach
  void closeProviders() {
    providers.forEach(KubernetesProvider::close);
  }

  @Test
  void jobWorker() throws Exception {
    WorkerHandle handle = provision(settings(), spec("w-job", Resources.of(500, 1024), Map.of()));

    assertGolden("job.yaml", job(handle));
    assertGolden(
        "network-policy.yaml",
        cluster
            .client()
            .network()
            .v1()
            .networkPolicies()
            .inNamespace("ci")
            .withName(EgressPolicy.NAME)
            .get());
  }

  @Test
  void barePodWorker() throws Exception {
    WorkerHandle handle =
        provision(
            TestSettings.with(
                settings(),
                "workloadKind",
                "Pod",
                "injectAgent",
                "false",
                "defaultImage",
                "example/agent-included:1"),
            spec("w-pod", new Resources(250, 512, 0, 2048), Map.of()));

    assertGolden(
        "pod.yaml", cluster.client().pods().inNamespace("ci").withName(handle.resourceId()).get());
  }

  @Test
  void tenantNamespace() throws Exception {
    WorkerHandle handle =
        provision(
            TestSettings.with(
                settings(),
                "namespacePerTenant",
                "true",
                "egressCidrs",
                "192.0.2.0/24",
                "imagePullSecretCredentials",
                "test:registry"),
            spec("w-tenant", Resources.of(1000, 2048), Map.of("hodei.tenant", "team-blue")));

    assertThat(handle.attributes()).containsEntry("namespace", "hodei-team-blue");
    assertGolden("tenant-job.yaml", job(handle));
    assertGolden(
        "tenant-namespace.yaml", cluster.client().namespaces().withName("hodei-team-blue").get());
    assertGolden(
        "tenant-network-policy.yaml",
        cluster
            .client()
            .network()
            .v1()
            .networkPolicies()
            .inNamespace("hodei-team-blue")
            .withName(EgressPolicy.NAME)
            .get());
    assertGolden(
        "tenant-pull-secret.yaml",
        cluster
            .client()
            .secrets()
            .inNamespace("hodei-team-blue")
            .withName(PullSecrets.name("test:registry"))
            .get());
  }

  @Test
  void gpuWorker() throws Exception {
    WorkerHandle handle =
        provision(
            TestSettings.with(
                settings(),
                "maxGpus",
                "8",
                "nodeSelector",
                "{\"accelerator\": \"nvidia-a100\"}",
                "tolerations",
                "- key: nvidia.com/gpu\n  operator: Exists\n  effect: NoSchedule\n"),
            spec("w-gpu", new Resources(4000, 16384, 1, 0), Map.of()));

    assertGolden("gpu-job.yaml", job(handle));
  }

  @Test
  void decoratedWorker() throws Exception {
    WorkerHandle handle =
        provision(
            TestSettings.with(
                settings(),
                "decorators",
                "cost-center,ci-priority",
                "decorator.cost-center.value",
                "platform-42",
                "serviceAccount",
                "ci-builder",
                "automountServiceAccountToken",
                "true"),
            spec("w-decorated", Resources.of(500, 1024), Map.of()));

    assertGolden("decorated-job.yaml", job(handle));
  }

  private static Map<String, String> settings() {
    return TestSettings.forMock(cluster.url());
  }

  private HasMetadata job(WorkerHandle handle) {
    String namespace = handle.attributes().get(KubernetesProvider.ATTR_NAMESPACE);
    return cluster
        .client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(handle.resourceId())
        .get();
  }

  private WorkerHandle provision(Map<String, String> settings, WorkerSpec spec) {
    KubernetesProvider provider = new KubernetesProvider();
    providers.add(provider);
    provider.initialize(
        new ProviderContext(
            "golden",
            "install-1",
            new ProviderConfig("golden", settings),
            TestingCredentialHandle.empty()
                .with(MockCluster.TOKEN_REFERENCE, "golden-token")
                .with(
                    "test:registry",
                    Map.of("registry", "example-registry", "username", "ci", "password", "s3cret")),
            new RecordingEventSink(),
            TestingClock.startingNow()));
    return provider.provision(spec);
  }

  static WorkerSpec spec(String workerId, Resources resources, Map<String, String> extraLabels) {
    Map<String, String> labels = new HashMap<>(extraLabels);
    labels.put(PluginApi.LABEL_MANAGED, "true");
    labels.put(PluginApi.LABEL_INSTALLATION, "install-1");
    labels.put(PluginApi.LABEL_WORKER, workerId);
    labels.put(PluginApi.LABEL_PROVIDER_INSTANCE, "golden");
    return new WorkerSpec(
        workerId,
        Optional.empty(),
        resources,
        Map.of(
            PluginApi.ENV_BOOTSTRAP_TOKEN,
            "bootstrap-token-for-" + workerId,
            PluginApi.ENV_SERVER_ADDRESS,
            "hodei.example.internal:9090",
            PluginApi.ENV_WORKER_ID,
            workerId),
        labels,
        Duration.ofMinutes(45));
  }

  /** Drops what the API server assigns (ids, versions, times), then compares as YAML text. */
  private static void assertGolden(String name, HasMetadata object) throws Exception {
    assertThat(object).as("the object for %s exists in the cluster", name).isNotNull();
    ObjectMeta metadata = object.getMetadata();
    metadata.setUid(null);
    metadata.setResourceVersion(null);
    metadata.setCreationTimestamp(null);
    metadata.setGeneration(null);
    metadata.setManagedFields(null);
    String actual = Serialization.asYaml(object);
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual);
    }
    assertThat(file).as("golden file %s; create it with -Dgolden.update=true", file).exists();
    assertThat(actual)
        .as("%s differs from the golden file", name)
        .isEqualTo(Files.readString(file));
  }
}
