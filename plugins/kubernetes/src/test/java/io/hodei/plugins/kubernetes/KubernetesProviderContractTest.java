package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.ProviderContractTest;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The provider TCK against the mock API server, with the test playing the kubelet: the worker's
 * environment and labels are read from the pod the "job controller" created from the Job.
 */
class KubernetesProviderContractTest extends ProviderContractTest {

  private static MockCluster cluster;
  private FakeKubelet kubelet;

  @BeforeAll
  static void startCluster() {
    cluster = new MockCluster();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void startKubelet() {
    kubelet = FakeKubelet.running(cluster.client());
  }

  @AfterEach
  void stopKubelet() throws InterruptedException {
    kubelet.close();
  }

  @Override
  protected WorkerManagerProvider createProvider() {
    return new KubernetesProvider();
  }

  @Override
  protected ProviderConfig providerConfig(String instanceName) {
    return new ProviderConfig(instanceName, TestSettings.forMock(cluster.url()));
  }

  @Override
  protected CredentialHandle credentials() {
    return TestingCredentialHandle.empty().with(MockCluster.TOKEN_REFERENCE, "tck-token");
  }

  @Override
  protected Resources impossibleResources() {
    return Resources.of(1_000_000, 64);
  }

  @Override
  protected Duration stateTimeout() {
    return Duration.ofSeconds(20);
  }

  @Override
  protected boolean mayOutliveClose(Thread thread) {
    // The JDK HTTP client's selector ends once the client is unreachable, which the TCK waits for;
    // fabric8's shared scheduler belongs to the library, not to one client.
    return super.mayOutliveClose(thread) || thread.getName().startsWith("fabric8-");
  }

  @Override
  protected Map<String, String> environmentOf(WorkerHandle handle) throws Exception {
    Pod pod = podOf(handle);
    List<EnvVar> env = pod.getSpec().getContainers().get(0).getEnv();
    return env.stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Override
  protected Map<String, String> labelsOf(WorkerHandle handle) throws Exception {
    return OwnershipLabels.asSpecLabels(new HashMap<>(podOf(handle).getMetadata().getLabels()));
  }

  /** The worker's pod, once the stand-in job controller has created it. */
  static Pod podOf(WorkerHandle handle) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<Pod> pods =
          cluster
              .client()
              .pods()
              .inNamespace(handle.attributes().get(KubernetesProvider.ATTR_NAMESPACE))
              .withLabel(OwnershipLabels.WORKER, handle.workerId())
              .list()
              .getItems();
      if (!pods.isEmpty()) {
        return pods.get(0);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no pod for " + handle + " within 10 s");
      }
      Thread.sleep(100);
    }
  }
}
