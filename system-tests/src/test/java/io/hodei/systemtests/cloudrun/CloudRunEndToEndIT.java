package io.hodei.systemtests.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.run.v2.Job;
import io.hodei.plugins.cloudrun.fake.FakeCloudRun;
import io.hodei.plugins.cloudrun.fake.TaskRunner;
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
 * The packaged server with the cloudrun plugin against the fake Cloud Run API (the plugin's own
 * test fake, with a real service-account key stored as an installation secret): the server creates
 * the job and runs an execution, the fake "runs" its task by starting the real agent as a local
 * process with the execution's environment, the job succeeds, and the execution is deleted
 * afterwards.
 */
class CloudRunEndToEndIT {

  private FakeCloudRun cloudRun;
  private HodeiServer server;
  private JobsClient jobs;
  private LocalTasks tasks;

  @BeforeEach
  void start() throws IOException {
    cloudRun = FakeCloudRun.start();
    String key = cloudRun.oauth().newServiceAccountKey("hodei-e2e");

    Path home = TestHomes.create("cloudrun-e2e");
    HodeiServer.installPlugin(home, HodeiServer.pluginJar("hodei-plugin-cloudrun.jar"));
    Map<String, String> properties = new HashMap<>(Timings.fast());
    String instance = "hodei.provider-instances.cloudrun-fake.";
    properties.put(instance + "type", "cloudrun");
    properties.put(instance + "config.project", FakeCloudRun.PROJECT);
    properties.put(instance + "config.region", FakeCloudRun.REGION);
    properties.put(instance + "config.endpoint", cloudRun.endpoint());
    properties.put(instance + "config.credentials", "local:cloudrun-key");
    properties.put(
        instance + "config.defaultImage", "europe-docker.pkg.dev/hodei-test/ci/worker:1");
    properties.put(instance + "config.operationPollInterval", "200ms");
    properties.put(instance + "config.watchInterval", "1s");
    properties.put("hodei.pools.cloudrun.provider-instance", "cloudrun-fake");
    server = HodeiServer.start(home, properties);
    // The instance opens once its key exists: the server retries opening it.
    new Api(server).putInstallationSecret("cloudrun-key", Map.of("json", key));
    jobs = new Api(server).jobs();
    tasks = new LocalTasks(server.agentJar(), Files.createTempDirectory(home, "tasks"));
    cloudRun.runner(tasks);
  }

  @AfterEach
  void stop() {
    if (tasks != null) {
      tasks.close();
    }
    if (server != null) {
      server.close();
    }
    if (cloudRun != null) {
      cloudRun.close();
    }
  }

  @Test
  void aJobRunsInACloudRunExecutionWhichIsDeletedAfterwards() {
    String id =
        jobs.submit(
            Map.of(
                "name",
                "hello-cloudrun",
                "command",
                "echo hello-from-cloudrun",
                "pool",
                "cloudrun"));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(cloudRun.executions()).as("the execution the server ran").isNotEmpty());
    Job job = cloudRun.jobs().values().iterator().next();
    assertThat(job.getLabelsMap()).containsEntry("hodei-managed", "true");
    assertThat(job.getTemplate().getTemplate().getMaxRetries()).isZero();

    jobs.awaitState(id, "SUCCEEDED", Duration.ofSeconds(90));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(cloudRun.executions()).as("executions left in Cloud Run").isEmpty());
  }

  /**
   * Plays Cloud Run's task containers: starts the agent as a local process with the environment the
   * execution's container would get, reports its exit to the fake, kills it on cancel.
   */
  private static final class LocalTasks implements TaskRunner, AutoCloseable {

    private final Path agentJar;
    private final Path dir;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();

    LocalTasks(Path agentJar, Path dir) {
      this.agentJar = agentJar;
      this.dir = dir;
    }

    @Override
    public void start(
        FakeCloudRun cloudRun, String executionName, Map<String, String> environment) {
      String id = executionName.substring(executionName.lastIndexOf('/') + 1);
      try {
        Process process = LocalAgent.start(agentJar, dir.resolve(id), environment);
        processes.put(executionName, process);
        cloudRun.markRunning(executionName);
        process.onExit().thenAccept(p -> cloudRun.markExited(executionName, p.exitValue()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the agent for " + executionName, e);
      }
    }

    @Override
    public void stop(String executionName) {
      Process process = processes.remove(executionName);
      if (process != null) {
        process.destroyForcibly();
      }
    }

    @Override
    public void close() {
      processes.values().forEach(Process::destroyForcibly);
    }
  }
}
