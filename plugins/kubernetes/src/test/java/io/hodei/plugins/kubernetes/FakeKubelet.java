package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Plays the job controller and the kubelet against the mock API server, which has neither: creates
 * each Job's pod from its template and, when asked, marks pods Running, as a node would once the
 * containers started.
 */
final class FakeKubelet implements AutoCloseable {

  private final KubernetesClient client;
  private final boolean startPods;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  private FakeKubelet(KubernetesClient client, boolean startPods) {
    this.client = client;
    this.startPods = startPods;
    this.thread = new Thread(this::loop, "fake-kubelet");
    thread.setDaemon(true);
  }

  /** Creates Jobs' pods and runs every pod. */
  static FakeKubelet running(KubernetesClient client) {
    FakeKubelet kubelet = new FakeKubelet(client, true);
    kubelet.thread.start();
    return kubelet;
  }

  /** Creates Jobs' pods but leaves them Pending, for tests that set the status themselves. */
  static FakeKubelet schedulingNothing(KubernetesClient client) {
    FakeKubelet kubelet = new FakeKubelet(client, false);
    kubelet.thread.start();
    return kubelet;
  }

  private void loop() {
    while (running.get()) {
      try {
        reconcile();
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      } catch (KubernetesClientException e) {
        // The mock was reset or shut down under us; the next round sees the new state.
        if (!running.get()) {
          return;
        }
      }
    }
  }

  private void reconcile() {
    for (Job job : client.batch().v1().jobs().inAnyNamespace().list().getItems()) {
      String namespace = job.getMetadata().getNamespace();
      String podName = job.getMetadata().getName() + "-pod";
      if (client.pods().inNamespace(namespace).withName(podName).get() == null) {
        Map<String, String> labels =
            new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("job-name", job.getMetadata().getName());
        client
            .pods()
            .inNamespace(namespace)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(podName)
                    .withNamespace(namespace)
                    .withLabels(labels)
                    .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
                    .withOwnerReferences(
                        new OwnerReferenceBuilder()
                            .withApiVersion("batch/v1")
                            .withKind("Job")
                            .withName(job.getMetadata().getName())
                            .withUid(job.getMetadata().getUid())
                            .build())
                    .endMetadata()
                    .withSpec(job.getSpec().getTemplate().getSpec())
                    .withStatus(new PodStatusBuilder().withPhase("Pending").build())
                    .build())
            .create();
      }
    }
    if (startPods) {
      for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
        if (pod.getStatus() == null || "Pending".equals(pod.getStatus().getPhase())) {
          setStatus(client, pod, running());
        }
      }
    }
  }

  /** Replaces a pod's status, as the kubelet does. */
  static void setStatus(KubernetesClient client, Pod pod, PodStatus status) {
    Pod updated = new PodBuilder(pod).withStatus(status).build();
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(updated).updateStatus();
  }

  static PodStatus running() {
    return new PodStatusBuilder()
        .withPhase("Running")
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName("worker")
                .withReady(true)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .build())
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.interrupt();
    thread.join(5_000);
  }
}
