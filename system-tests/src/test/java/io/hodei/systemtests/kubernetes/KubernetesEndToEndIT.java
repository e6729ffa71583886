package io.hodei.systemtests.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.hodei.systemtests.Api;
import io.hodei.systemtests.HodeiServer;
import io.hodei.systemtests.JobsClient;
import io.hodei.systemtests.LocalAgent;
import io.hodei.systemtests.TestHomes;
import io.hodei.systemtests.Timings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged server with the kubernetes plugin against fabric8's mock API server (CRUD mode): the
 * server creates the Job, a stand-in kubelet starts the real agent with the pod template's
 * environment as a local process, the job succeeds, and the Kubernetes objects are deleted.
 */
class KubernetesEndToEndIT {

  private KubernetesMockServer apiServer;
  private KubernetesClient kubectl;
  private HodeiServer server;
  private JobsClient jobs;
  private LocalKubelet kubelet;

  @BeforeEach
  void start() throws IOException {
    apiServer =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    apiServer.init(InetAddress.getLoopbackAddress(), 0);
    kubectl = apiServer.createClient();

    Path home = TestHomes.create("kubernetes-e2e");
    HodeiServer.installPlugin(home, HodeiServer.pluginJar("hodei-plugin-kubernetes.jar"));
    Map<String, String> properties = new HashMap<>(Timings.fast());
    String instance = "hodei.provider-instances.k8s-mock.";
    properties.put(instance + "type", "kubernetes");
    properties.put(instance + "config.apiUrl", apiServer.url("/"));
    properties.put(instance + "config.tokenCredential", "local:k8s-token");
    properties.put(instance + "config.namespace", "ci");
    properties.put(instance + "config.agentImage", "hodei-agent:e2e");
    properties.put(instance + "config.controlPlaneCidr", "127.0.0.1/32");
    properties.put("hodei.pools.k8s.provider-instance", "k8s-mock");
    server = HodeiServer.start(home, properties);
    // The instance opens once its token exists: the server retries opening it.
    new Api(server).putInstallationSecret("k8s-token", Map.of("value", "e2e-token"));
    jobs = new Api(server).jobs();
    kubelet = new LocalKubelet(kubectl, server.agentJar(), Files.createTempDirectory(home, "node"));
    kubelet.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (kubelet != null) {
      kubelet.close();
    }
    if (server != null) {
      server.close();
    }
    if (kubectl != null) {
      kubectl.close();
    }
    if (apiServer != null) {
      apiServer.destroy();
    }
  }

  @Test
  void aJobRunsInAKubernetesJobAndTheObjectsAreDeletedAfterwards() {
    String id =
        jobs.submit(
            Map.of("name", "hello-k8s", "command", "echo hello-from-kubernetes", "pool", "k8s"));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(kubectl.batch().v1().jobs().inNamespace("ci").list().getItems())
                    .as("the Job the server asked for")
                    .isNotEmpty());
    Job created = kubectl.batch().v1().jobs().inNamespace("ci").list().getItems().get(0);
    assertThat(created.getSpec().getBackoffLimit()).isZero();
    assertThat(created.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "hodei");

    jobs.awaitState(id, "SUCCEEDED", Duration.ofSeconds(90));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(kubectl.batch().v1().jobs().inNamespace("ci").list().getItems())
                  .as("Jobs left in the cluster")
                  .isEmpty();
              assertThat(kubectl.pods().inNamespace("ci").list().getItems())
                  .as("pods left in the cluster")
                  .isEmpty();
            });
  }

  /**
   * Plays the job controller and the kubelet: for each Job, creates its pod and starts the agent
   * the template describes as a local process with the template's environment; kills it when the
   * Job is deleted, and reports its exit in the pod's status.
   */
  private static final class LocalKubelet implements AutoCloseable {

    private final KubernetesClient client;
    private final Path agentJar;
    private final Path nodeDir;
    private final Map<String, Process> agents = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this::loop, "local-kubelet");

    LocalKubelet(KubernetesClient client, Path agentJar, Path nodeDir) {
      this.client = client;
      this.agentJar = agentJar;
      this.nodeDir = nodeDir;
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    private void loop() {
      while (running.get()) {
        try {
          reconcile();
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        } catch (KubernetesClientException e) {
          if (!running.get()) {
            return;
          }
        }
      }
    }

    private void reconcile() {
      for (Job job : client.batch().v1().jobs().inAnyNamespace().list().getItems()) {
        String name = job.getMetadata().getName();
        if (!agents.containsKey(name)) {
          agents.put(name, launch(job));
        }
      }
      agents.forEach(
          (name, process) -> {
            boolean jobGone =
                client.batch().v1().jobs().inNamespace("ci").withName(name).get() == null;
            if (jobGone) {
              process.destroyForcibly();
            } else if (!process.isAlive()) {
              var pod = client.pods().inNamespace("ci").withName(name + "-pod").get();
              if (pod != null && "Running".equals(pod.getStatus().getPhase())) {
                client
                    .pods()
                    .inNamespace("ci")
                    .resource(
                        new PodBuilder(pod)
                            .withStatus(
                                new PodStatusBuilder()
                                    .withPhase(process.exitValue() == 0 ? "Succeeded" : "Failed")
                                    .build())
                            .build())
                    .updateStatus();
              }
            }
          });
    }

    private Process launch(Job job) {
      var template = job.getSpec().getTemplate();
      String namespace = job.getMetadata().getNamespace();
      var pod =
          client
              .pods()
              .inNamespace(namespace)
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName(job.getMetadata().getName() + "-pod")
                      .withNamespace(namespace)
                      .withLabels(template.getMetadata().getLabels())
                      .withAnnotations(template.getMetadata().getAnnotations())
                      .endMetadata()
                      .withSpec(template.getSpec())
                      .build())
              .create();
      Map<String, String> environment = new HashMap<>();
      for (EnvVar env : template.getSpec().getContainers().get(0).getEnv()) {
        environment.put(env.getName(), env.getValue());
      }
      try {
        // The pod's /workspace is an empty dir on the node; here the node is a test directory.
        Process process =
            LocalAgent.start(agentJar, nodeDir.resolve(job.getMetadata().getName()), environment);
        client
            .pods()
            .inNamespace(namespace)
            .resource(
                new PodBuilder(pod)
                    .withStatus(new PodStatusBuilder().withPhase("Running").build())
                    .build())
            .updateStatus();
        return process;
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot start the agent for " + job.getMetadata().getName(), e);
      }
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.interrupt();
      thread.join(5_000);
      agents.values().forEach(Process::destroyForcibly);
    }
  }
}
