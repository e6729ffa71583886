package io.hodei.systemtests.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hodei.plugins.aci.FakeArm;
import io.hodei.plugins.aci.FakeGroup;
import io.hodei.systemtests.Api;
import io.hodei.systemtests.HodeiServer;
import io.hodei.systemtests.JobsClient;
import io.hodei.systemtests.LocalAgent;
import io.hodei.systemtests.TestHomes;
import io.hodei.systemtests.Timings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged server with the aci plugin against the plugin's fake Azure Resource Manager: the
 * server creates a container group, the fake's stand-in node starts the real agent as a local
 * process with the group's environment (secure values included), the job succeeds, and the group is
 * deleted. A group left behind by an earlier crash of the same installation is swept.
 */
class AciEndToEndIT {

  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000e2";
  private static final String RESOURCE_GROUP = "hodei-e2e";
  private static final String INSTANCE = "aci-fake";

  private FakeArm arm;
  private LocalNode node;
  private HodeiServer server;
  private JobsClient jobs;

  @BeforeEach
  void start() throws IOException {
    Path home = TestHomes.create("aci-e2e");
    node = new LocalNode(Files.createTempDirectory(home, "node"));
    arm = FakeArm.start(SUBSCRIPTION, RESOURCE_GROUP).runtime(node);
    HodeiServer.installPlugin(home, HodeiServer.pluginJar("hodei-plugin-aci.jar"));
    Map<String, String> properties = new HashMap<>(Timings.fast());
    String instance = "hodei.provider-instances." + INSTANCE + ".";
    properties.put(instance + "type", "aci");
    properties.put(instance + "config.subscriptionId", SUBSCRIPTION);
    properties.put(instance + "config.resourceGroup", RESOURCE_GROUP);
    properties.put(instance + "config.location", "westeurope");
    properties.put(instance + "config.credentials", "local:arm-token");
    properties.put(instance + "config.resourceManagerEndpoint", arm.endpoint());
    properties.put(instance + "config.allowInsecureEndpoint", "true");
    properties.put(instance + "config.defaultImage", "hodei/agent-runtime:e2e");
    properties.put(instance + "config.watchInterval", "2s");
    properties.put("hodei.pools.aci.provider-instance", INSTANCE);
    server = HodeiServer.start(home, properties);
    // The instance opens once its token exists: the server retries opening it.
    new Api(server)
        .putInstallationSecret("arm-token", Map.of("accessToken", FakeArm.DEFAULT_TOKEN));
    node.agentJar = server.agentJar();
    jobs = new Api(server).jobs();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (arm != null) {
      arm.close();
    }
  }

  @Test
  void aJobRunsInAContainerGroupThatIsDeletedAfterwardsAndOrphansAreSwept() {
    String id =
        jobs.submit(Map.of("name", "hello-aci", "command", "echo hello-from-aci", "pool", "aci"));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(arm.groups()).as("the group the server asked for").hasSize(1));
    FakeGroup group = arm.groups().get(0);
    assertThat(group.tags())
        .containsEntry("hodei-managed", "true")
        .containsEntry("hodei-provider-instance", INSTANCE)
        .containsKeys("hodei-installation", "hodei-worker");
    assertThat(group.secureVariables()).contains("HODEI_BOOTSTRAP_TOKEN");
    assertThat(group.environment()).containsKeys("HODEI_SERVER_ADDRESS", "HODEI_WORKER_ID");

    jobs.awaitState(id, "SUCCEEDED", Duration.ofSeconds(90));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(arm.groups()).as("container groups left in the fake").isEmpty());
    assertThat(arm.requests("DELETE", "/containerGroups/" + group.name())).isNotEmpty();

    // A crash left a group of this installation behind; another installation has one too.
    String installation = group.tags().get("hodei-installation");
    arm.putRunningGroup(
        RESOURCE_GROUP,
        "hodei-left-behind",
        Map.of(
            "hodei-managed",
            "true",
            "hodei-installation",
            installation,
            "hodei-provider-instance",
            INSTANCE,
            "hodei-worker",
            "00000000-0000-0000-0000-00000000dead"));
    arm.putRunningGroup(
        RESOURCE_GROUP,
        "someone-elses",
        Map.of(
            "hodei-managed", "true",
            "hodei-installation", "another-installation",
            "hodei-provider-instance", INSTANCE,
            "hodei-worker", "00000000-0000-0000-0000-00000000beef"));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(arm.groups())
                    .extracting(FakeGroup::name)
                    .as("the orphan sweep deletes this installation's leftover only")
                    .containsExactly("someone-elses"));
  }

  /**
   * Plays the node ACI would run the group on: starts the agent as a local process with the group's
   * environment, reports it running, and its exit when it ends; kills it when the group is deleted.
   */
  private static final class LocalNode implements FakeArm.ContainerRuntime {

    private final Path nodeDir;
    private final Map<String, Process> agents = new ConcurrentHashMap<>();
    volatile Path agentJar;

    LocalNode(Path nodeDir) {
      this.nodeDir = nodeDir;
    }

    @Override
    public void start(FakeGroup group) {
      try {
        Process process =
            LocalAgent.start(agentJar, nodeDir.resolve(group.name()), group.environment());
        agents.put(group.name(), process);
        group.running();
        process.onExit().thenAccept(p -> group.exited(p.exitValue()));
      } catch (IOException e) {
        group.failedToStart("InaccessibleImage", "the node could not start the agent");
        throw new UncheckedIOException("cannot start the agent for " + group.name(), e);
      }
    }

    @Override
    public void stop(FakeGroup group) {
      Process process = agents.remove(group.name());
      if (process != null) {
        process.destroyForcibly();
      }
    }
  }
}
