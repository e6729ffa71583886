package io.hodei.systemtests.docker;

import static io.hodei.systemtests.docker.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hodei.systemtests.Api;
import io.hodei.systemtests.HodeiServer;
import io.hodei.systemtests.Job;
import io.hodei.systemtests.JobsClient;
import io.hodei.systemtests.LogLine;
import io.hodei.systemtests.TestHomes;
import io.hodei.systemtests.Timings;
import io.hodei.systemtests.Worker;
import io.hodei.systemtests.WorkersClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged server with the Docker provider plugin against the real engine: jobs run in
 * containers (an image with the agent, and a stock image through injection), a container killed
 * from outside is a lost worker whose job is retried, a container the database does not know is
 * removed after a restart, and an unreachable engine makes its pool's jobs wait with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerEndToEndIT {

  private static final Duration RUN = Duration.ofSeconds(90);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private WorkerImages images;
  private HodeiServer server;
  private JobsClient jobs;
  private WorkersClient workers;

  @BeforeAll
  void start() throws Exception {
    Path home = TestHomes.create("docker-e2e");
    images = WorkerImages.build(home.resolve("worker-images"), run);
    Map<String, String> settings = new HashMap<>(Timings.fast());
    instance(
        settings,
        "docker-own",
        Map.of("injectAgent", "false", "defaultImage", images.agentImage()));
    instance(
        settings,
        "docker-inject",
        Map.of(
            "agentRuntime", images.agentRuntime().toString(), "defaultImage", images.stockImage()));
    instance(
        settings,
        "docker-dead",
        Map.of("host", "unix:///nonexistent/hodei-e2e/docker.sock", "injectAgent", "false"));
    settings.put("hodei.pools.docker-own.max-workers", "4");
    HodeiServer.installPlugin(home, HodeiServer.pluginJar("hodei-plugin-docker.jar"));
    server = HodeiServer.start(home, settings);
    Api api = new Api(server);
    jobs = api.jobs();
    workers = api.workers();
  }

  private static void instance(
      Map<String, String> settings, String name, Map<String, String> config) {
    settings.put("hodei.provider-instances." + name + ".type", "docker");
    settings.put("hodei.provider-instances." + name + ".config.host", Docker.SOCKET);
    settings.put("hodei.provider-instances." + name + ".config.pullPolicy", "never");
    settings.put("hodei.provider-instances." + name + ".config.stopGrace", "2s");
    config.forEach((k, v) -> settings.put("hodei.provider-instances." + name + ".config." + k, v));
    settings.put("hodei.pools." + name + ".provider-instance", name);
  }

  @AfterAll
  void stop() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (images != null) {
        images.remove("hodei.provider-instance=docker-own");
        images.remove("hodei.provider-instance=docker-inject");
      }
    }
  }

  @Test
  void aJobRunsInAContainerOfItsImageAndTheContainerIsGoneAfterwards() {
    String id =
        jobs.submit(
            Map.of(
                "name", "in-a-container",
                "image", images.agentImage(),
                "pool", "docker-own",
                "command", "test -f /opt/hodei/hodei-agent.jar && echo inside-$HODEI_WORKER_ID"));

    Job job = jobs.awaitState(id, "SUCCEEDED", RUN);

    assertThat(stdout(id)).containsExactly("inside-" + job.workerId());
    String container = workerOf(job).resourceId();
    await("container " + container + " removed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Docker.exists(container));
  }

  @Test
  void aJobInAnImageWithoutTheAgentRunsThroughInjection() {
    String id =
        jobs.submit(
            Map.of(
                "name", "injected",
                "image", images.stockImage(),
                "pool", "docker-inject",
                "command", "echo injected; test -x /opt/hodei/bin/java && echo runtime-mounted"));

    Job job = jobs.awaitState(id, "SUCCEEDED", RUN);

    assertThat(stdout(id)).containsExactly("injected", "runtime-mounted");
    String container = workerOf(job).resourceId();
    await("container " + container + " removed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Docker.exists(container));
  }

  @Test
  void aContainerKilledFromOutsideLosesItsWorkerAndTheJobIsRetried() {
    String id =
        jobs.submit(
            Map.of(
                "name", "killed",
                "pool", "docker-own",
                "command", "for i in $(seq 1 6); do echo line $i; sleep 1; done"));
    Job running = jobs.awaitState(id, "RUNNING", RUN);
    String lost = running.workerId();
    await("the first lines of attempt 1")
        .atMost(RUN)
        .until(() -> jobs.logs(id).stream().anyMatch(l -> l.text().equals("line 2")));

    docker("kill", workerOf(running).resourceId());

    await("worker " + lost + " LOST")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(workers.find(lost))
                    .hasValueSatisfying(w -> assertThat(w.state()).as("%s", w).isEqualTo("LOST")));
    Job ended = jobs.awaitState(id, "SUCCEEDED", RUN);
    assertThat(ended.attempt()).as("attempt of %s", ended.json()).isEqualTo(2);
    assertThat(ended.workerId()).isNotEqualTo(lost);
  }

  @Test
  void afterARestartAContainerTheDatabaseDoesNotKnowIsRemoved() {
    String id =
        jobs.submit(
            Map.of("name", "owner-probe", "pool", "docker-own", "command", "sleep 3; echo done"));
    Job running = jobs.awaitState(id, "RUNNING", RUN);
    String installation = Docker.label(workerOf(running).resourceId(), "hodei.installation");
    // A clean stop: the embedded database of a killed server can be slow to recover on a busy
    // machine,
    // and what matters here is that the next start reconciles the engine with the database.
    server.stop();
    String ghost =
        docker(
            "run",
            "-d",
            "--network=host",
            "--label",
            "hodei.managed=true",
            "--label",
            "hodei.installation=" + installation,
            "--label",
            "hodei.provider-instance=docker-own",
            "--label",
            "hodei.worker=ghost-" + run,
            "--label",
            WorkerImages.TEST_LABEL,
            images.stockImage(),
            "sleep",
            "600");

    server.restart();

    await("the unknown container " + ghost + " removed after the restart")
        .atMost(Duration.ofSeconds(60))
        .until(() -> !Docker.exists(ghost));
    jobs.awaitJob(id, "end", Job::isFinal, RUN);
  }

  @Test
  void anUnreachableEngineKeepsThePoolsJobsWaitingWithTheReason() {
    String id =
        jobs.submit(Map.of("name", "waits", "pool", "docker-dead", "command", "echo never"));

    Job waiting =
        jobs.awaitJob(
            id,
            "wait with the unhealthy reason",
            job -> job.reason() != null && job.reason().contains("unhealthy"),
            Duration.ofSeconds(30));

    assertThat(waiting.state()).isEqualTo("PENDING");
    assertThat(waiting.reason())
        .contains("docker-dead")
        .contains("cannot reach the Docker engine at unix:///nonexistent/hodei-e2e/docker.sock");
  }

  /** Also the numbers the docs quote: provision to READY, and containers per minute. */
  @Test
  void aBurstOfJobsRunsEachInItsOwnContainer() {
    int count = 12;
    Instant began = Instant.now();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(
          jobs.submit(Map.of("name", "burst-" + i, "pool", "docker-own", "command", "echo ok")));
    }
    List<Long> toReady = new ArrayList<>();
    for (String id : ids) {
      Job job = jobs.awaitState(id, "SUCCEEDED", Duration.ofMinutes(3));
      assertThat(stdout(id)).containsExactly("ok");
      Instant provisioning = at(job, "PROVISIONING");
      Instant running = at(job, "RUNNING");
      toReady.add(Duration.between(provisioning, running).toMillis());
    }
    Duration took = Duration.between(began, Instant.now());
    toReady.sort(Long::compare);
    System.out.printf(
        "docker end-to-end: %d jobs in %d ms with 4 workers at a time: %.1f containers/min;"
            + " provisioning to running (container start + agent registration + dispatch)"
            + " min %d ms, median %d ms, max %d ms%n",
        count,
        took.toMillis(),
        count * 60_000.0 / took.toMillis(),
        toReady.get(0),
        toReady.get(toReady.size() / 2),
        toReady.get(toReady.size() - 1));
    await("every worker of the burst terminated")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(workers.list(false))
                    .as("live workers of pool docker-own")
                    .filteredOn(w -> "docker-own".equals(w.pool()))
                    .isEmpty());
  }

  // ---- helpers ----

  private List<String> stdout(String id) {
    return jobs.logs(id).stream()
        .filter(line -> "STDOUT".equals(line.stream()))
        .map(LogLine::text)
        .toList();
  }

  private Worker workerOf(Job job) {
    return workers
        .find(job.workerId())
        .orElseThrow(
            () -> new AssertionError("no worker " + job.workerId() + " for " + job.json()));
  }

  private static Instant at(Job job, String state) {
    return job.events().stream()
        .filter(e -> state.equals(e.to()))
        .map(e -> Instant.parse(e.at()))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no transition to " + state + " in " + job.json()));
  }
}
