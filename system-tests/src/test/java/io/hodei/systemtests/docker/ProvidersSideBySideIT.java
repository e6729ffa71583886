package io.hodei.systemtests.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.hodei.plugins.aci.FakeArm;
import io.hodei.plugins.cloudrun.fake.FakeCloudRun;
import io.hodei.plugins.ecs.fake.FakeEcs;
import io.hodei.systemtests.Api;
import io.hodei.systemtests.HodeiServer;
import io.hodei.systemtests.JobsClient;
import io.hodei.systemtests.TestHomes;
import io.hodei.systemtests.Timings;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every provider plugin in one server: docker (against the real engine), kubernetes, ecs, aci and
 * cloudrun (against their fakes), each bundling its own SDK and its own versions of shared
 * libraries (Jackson, Netty, OkHttp, Reactor, protobuf, gRPC, the AWS, Azure and Google cores). All
 * load, each opens, and each provisions: the docker job runs to the end, and each fake receives the
 * resource its plugin creates. It sits in the docker package for the locally built worker images.
 */
class ProvidersSideBySideIT {

  private static final List<String> PLUGINS =
      List.of(
          "hodei-plugin-docker.jar",
          "hodei-plugin-kubernetes.jar",
          "hodei-plugin-ecs.jar",
          "hodei-plugin-aci.jar",
          "hodei-plugin-cloudrun.jar");
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa";
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private WorkerImages images;
  private KubernetesMockServer kubernetes;
  private KubernetesClient kubectl;
  private FakeEcs ecs;
  private FakeArm arm;
  private FakeCloudRun cloudRun;
  private HodeiServer server;

  @Test
  void allProviderPluginsLoadSideBySideAndEachProvisions() throws Exception {
    Path home = TestHomes.create("side-by-side");
    images = WorkerImages.build(home.resolve("worker-images"), run);
    kubernetes =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    kubernetes.init(InetAddress.getLoopbackAddress(), 0);
    kubectl = kubernetes.createClient();
    ecs = FakeEcs.start("ci").acceptKey("AKIASIDEBYSIDE", "side-secret");
    arm = FakeArm.start(SUBSCRIPTION, "side");
    cloudRun = FakeCloudRun.start();

    Map<String, String> settings = new HashMap<>(Timings.fast());
    instance(
        settings,
        "docker",
        "docker",
        Map.of(
            "host",
            Docker.SOCKET,
            "pullPolicy",
            "never",
            "injectAgent",
            "false",
            "defaultImage",
            images.agentImage()));
    instance(
        settings,
        "k8s",
        "kubernetes",
        Map.of(
            "apiUrl", kubernetes.url("/"),
            "tokenCredential", "local:k8s-token",
            "namespace", "ci",
            "agentImage", "hodei-agent:side",
            "controlPlaneCidr", "127.0.0.1/32"));
    instance(
        settings,
        "ecs",
        "ecs",
        Map.of(
            "region", FakeEcs.REGION,
            "endpoint", ecs.endpoint(),
            "cluster", "ci",
            "subnets", "subnet-0side",
            "agentImage", "hodei-agent:side",
            "credentials", "local:aws-keys"));
    instance(
        settings,
        "aci",
        "aci",
        Map.of(
            "subscriptionId", SUBSCRIPTION,
            "resourceGroup", "side",
            "location", "westeurope",
            "credentials", "local:arm-token",
            "resourceManagerEndpoint", arm.endpoint(),
            "allowInsecureEndpoint", "true",
            "defaultImage", "hodei/agent-runtime:side"));
    instance(
        settings,
        "cloudrun",
        "cloudrun",
        Map.of(
            "project",
            FakeCloudRun.PROJECT,
            "region",
            FakeCloudRun.REGION,
            "endpoint",
            cloudRun.endpoint(),
            "credentials",
            "local:gcp-key",
            "defaultImage",
            "europe-docker.pkg.dev/hodei-test/ci/worker:side"));
    for (String plugin : PLUGINS) {
      Path jar = HodeiServer.pluginJar(plugin);
      System.out.printf("side by side: %s is %,d bytes%n", plugin, Files.size(jar));
      HodeiServer.installPlugin(home, jar);
    }
    server = HodeiServer.start(home, settings);
    Api api = new Api(server);
    api.putInstallationSecret("k8s-token", Map.of("value", "side-token"));
    api.putInstallationSecret(
        "aws-keys", Map.of("accessKeyId", "AKIASIDEBYSIDE", "secretAccessKey", "side-secret"));
    api.putInstallationSecret("arm-token", Map.of("accessToken", FakeArm.DEFAULT_TOKEN));
    api.putInstallationSecret(
        "gcp-key", Map.of("json", cloudRun.oauth().newServiceAccountKey("hodei-side")));

    List<Map<String, Object>> plugins =
        api.request().get("/api/v1/plugins").then().statusCode(200).extract().path("");
    assertThat(plugins)
        .as("plugins as the server lists them")
        .hasSize(PLUGINS.size() + 1) // and the bundled local plugin
        .allSatisfy(plugin -> assertThat(plugin.get("state")).isEqualTo("STARTED"));

    JobsClient jobs = api.jobs();
    String dockerJob =
        jobs.submit(Map.of("name", "side-docker", "command", "echo side", "pool", "docker"));
    for (String pool : List.of("k8s", "ecs", "aci", "cloudrun")) {
      jobs.submit(Map.of("name", "side-" + pool, "command", "echo side", "pool", pool));
    }

    jobs.awaitState(dockerJob, "SUCCEEDED", WAIT);
    await("each fake receives the resource its plugin creates")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(kubectl.batch().v1().jobs().inNamespace("ci").list().getItems())
                  .as("kubernetes Jobs")
                  .isNotEmpty();
              assertThat(ecs.tasks()).as("ECS tasks").isNotEmpty();
              assertThat(arm.groups()).as("container groups").isNotEmpty();
              assertThat(cloudRun.executions()).as("Cloud Run executions").isNotEmpty();
            });
    assertThat(Files.readString(server.log()))
        .as("the server log")
        .doesNotContain("LinkageError", "NoClassDefFoundError", "ClassCastException");
  }

  private static void instance(
      Map<String, String> settings, String name, String type, Map<String, String> config) {
    String prefix = "hodei.provider-instances." + name + ".";
    settings.put(prefix + "type", type);
    config.forEach((key, value) -> settings.put(prefix + "config." + key, value));
    settings.put("hodei.pools." + name + ".provider-instance", name);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (images != null) {
      images.remove("hodei.provider-instance=docker");
    }
    if (kubectl != null) {
      kubectl.close();
    }
    if (kubernetes != null) {
      kubernetes.destroy();
    }
    if (ecs != null) {
      ecs.close();
    }
    if (arm != null) {
      arm.close();
    }
    if (cloudRun != null) {
      cloudRun.close();
    }
  }
}
