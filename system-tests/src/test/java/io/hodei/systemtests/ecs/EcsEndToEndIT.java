package io.hodei.systemtests.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hodei.plugins.ecs.fake.FakeEcs;
import io.hodei.plugins.ecs.fake.FakeTask;
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
 * The packaged server with the ecs plugin against the fake ECS endpoint (the real AWS SDK inside
 * the plugin signs every request; the fake checks the signatures): the server registers a task
 * definition and runs a task, a stand-in for Fargate starts the real agent with the task's
 * environment as a local process, the job succeeds, and the task is stopped afterwards.
 */
class EcsEndToEndIT {

  private static final String KEY_ID = "AKIAE2EKEY";
  private static final String SECRET = "e2e-secret";

  private FakeEcs ecs;
  private HodeiServer server;
  private JobsClient jobs;
  private LocalFargate fargate;

  @BeforeEach
  void start() throws IOException {
    ecs = FakeEcs.start("ci").acceptKey(KEY_ID, SECRET);
    Path home = TestHomes.create("ecs-e2e");
    HodeiServer.installPlugin(home, HodeiServer.pluginJar("hodei-plugin-ecs.jar"));
    Map<String, String> properties = new HashMap<>(Timings.fast());
    String instance = "hodei.provider-instances.ecs-fake.";
    properties.put(instance + "type", "ecs");
    properties.put(instance + "config.region", FakeEcs.REGION);
    properties.put(instance + "config.endpoint", ecs.endpoint());
    properties.put(instance + "config.cluster", "ci");
    properties.put(instance + "config.subnets", "subnet-0e2e0e2e");
    properties.put(instance + "config.agentImage", "hodei-agent:e2e");
    properties.put(instance + "config.pollInterval", "1s");
    properties.put(instance + "config.credentials", "local:aws-keys");
    properties.put("hodei.pools.ecs.provider-instance", "ecs-fake");
    server = HodeiServer.start(home, properties);
    // The instance opens once its keys exist: the server retries opening it.
    new Api(server)
        .putInstallationSecret(
            "aws-keys", Map.of("accessKeyId", KEY_ID, "secretAccessKey", SECRET));
    jobs = new Api(server).jobs();
    fargate = new LocalFargate(ecs, server.agentJar(), Files.createTempDirectory(home, "fargate"));
    ecs.setRunner(fargate);
  }

  @AfterEach
  void stop() {
    if (fargate != null) {
      fargate.close();
    }
    if (server != null) {
      server.close();
    }
    if (ecs != null) {
      ecs.close();
    }
  }

  @Test
  void aJobRunsInAnEcsTaskAndTheTaskIsStoppedAfterwards() {
    String id =
        jobs.submit(Map.of("name", "hello-ecs", "command", "echo hello-from-ecs", "pool", "ecs"));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(ecs.tasks()).as("the task the server ran").isNotEmpty());
    FakeTask task = ecs.tasks().get(0);
    assertThat(task.tags())
        .containsEntry("hodei:managed", "true")
        .containsEntry("hodei:provider-instance", "ecs-fake")
        .containsKey("hodei:worker");
    assertThat(task.environment()).containsKeys("HODEI_BOOTSTRAP_TOKEN", "HODEI_SERVER_ADDRESS");
    assertThat(ecs.taskDefinitions()).hasSize(1);

    jobs.awaitState(id, "SUCCEEDED", Duration.ofSeconds(90));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(ecs.tasks())
                    .as("tasks left running in the cluster")
                    .allSatisfy(t -> assertThat(t.lastStatus()).isEqualTo("STOPPED")));
    assertThat(fargate.running()).as("agent processes still alive").isZero();
  }

  /**
   * Plays Fargate: when a task starts running, starts the agent its image would hold as a local
   * process with the task's environment; when the process exits, reports the container's exit to
   * the fake (which stops the task as ECS does); when the task is stopped, kills the process.
   */
  private static final class LocalFargate implements FakeEcs.TaskRunner, AutoCloseable {

    private final FakeEcs ecs;
    private final Path agentJar;
    private final Path nodeDir;
    private final Map<String, Process> agents = new ConcurrentHashMap<>();

    LocalFargate(FakeEcs ecs, Path agentJar, Path nodeDir) {
      this.ecs = ecs;
      this.agentJar = agentJar;
      this.nodeDir = nodeDir;
    }

    @Override
    public void started(FakeTask task) {
      Path workspace = nodeDir.resolve(task.arn().substring(task.arn().lastIndexOf('/') + 1));
      try {
        Process process = LocalAgent.start(agentJar, workspace, task.environment());
        agents.put(task.arn(), process);
        process
            .onExit()
            .thenAccept(
                ended -> {
                  if ("RUNNING".equals(task.desiredStatus())) {
                    ecs.exit(task.arn(), ended.exitValue());
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the agent for " + task.arn(), e);
      }
    }

    @Override
    public void stopped(FakeTask task) {
      Process process = agents.remove(task.arn());
      if (process != null) {
        process.destroy();
      }
    }

    long running() {
      return agents.values().stream().filter(Process::isAlive).count();
    }

    @Override
    public void close() {
      agents.values().forEach(Process::destroyForcibly);
    }
  }
}
