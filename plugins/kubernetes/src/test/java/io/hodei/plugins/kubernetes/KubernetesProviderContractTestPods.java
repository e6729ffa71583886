package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.hodei.plugin.api.WorkerHandle;
import java.util.List;

/** Waits for the pod the stand-in job controller creates for a worker. */
final class KubernetesProviderContractTestPods {

  private KubernetesProviderContractTestPods() {}

  static Pod await(MockCluster cluster, WorkerHandle handle) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
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
      Thread.sleep(100);
    }
    throw new AssertionError("no pod for " + handle + " within 10 s");
  }
}
