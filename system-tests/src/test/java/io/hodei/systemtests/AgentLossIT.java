package io.hodei.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker's agent dies (SIGKILL) while its job runs: the worker is given up as LOST, the job is
 * retried on a new worker as an infrastructure failure, and ends SUCCEEDED.
 */
class AgentLossIT {

  private static final Duration RUN = Duration.ofSeconds(90);

  private HodeiServer server;
  private JobsClient jobs;
  private WorkersClient workers;

  @BeforeEach
  void start() {
    server = HodeiServer.start(TestHomes.create("agent-loss"), Timings.fast());
    Api api = new Api(server);
    jobs = api.jobs();
    workers = api.workers();
  }

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void aJobWhoseAgentIsKilledIsRetriedOnANewWorkerAndSucceeds() {
    CountingJob counting = new CountingJob("agent-loss", 16);
    String id = jobs.submit(counting.spec());
    Job running = jobs.awaitState(id, "RUNNING", RUN);
    String lostWorker = running.workerId();
    await("the first lines of attempt 1")
        .atMost(RUN)
        .until(() -> jobs.logs(id).stream().anyMatch(line -> line.text().endsWith("line 2")));
    List<ProcessHandle> agent = server.agentProcessOf(lostWorker);
    assertThat(agent).as("the agent process of worker %s", lostWorker).hasSize(1);
    assertThat(processesOfAttempt(id, lostWorker)).as("attempt 1's processes").isNotEmpty();

    HostProcesses.kill(agent);

    await("worker " + lostWorker + " LOST")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(workers.find(lostWorker))
                    .hasValueSatisfying(
                        worker -> assertThat(worker.state()).as("%s", worker).isEqualTo("LOST")));
    Job ended = jobs.awaitState(id, "SUCCEEDED", RUN);
    assertThat(ended.attempt()).as("attempt of %s", ended.json()).isEqualTo(2);
    assertThat(ended.workerId()).as("worker of attempt 2").isNotEqualTo(lostWorker);
    assertThat(ended.events())
        .as("events of %s", ended.json())
        .filteredOn(event -> event.attempt() == 1)
        .anySatisfy(event -> assertThat(event.reason()).contains(lostWorker))
        .anySatisfy(
            event -> {
              assertThat(event.to()).isEqualTo("PENDING");
              assertThat(event.reason()).contains("infrastructure failure");
            });
    assertThat(ended.finalEvents()).hasSize(1);
    assertThat(jobs.logs(id))
        .as("stdout of attempt 2")
        .filteredOn(line -> line.attempt() == 2 && "STDOUT".equals(line.stream()))
        .extracting(LogLine::text)
        .containsExactlyElementsOf(counting.expectedLines());
    await("attempt 1's processes gone")
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(processesOfAttempt(id, lostWorker)).isEmpty());
    await("the lost worker released")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(workers.find(lostWorker))
                    .hasValueSatisfying(worker -> assertThat(worker.released()).isTrue()));
  }

  /** The job's step processes that the lost worker's agent started (they inherit its id). */
  private static List<ProcessHandle> processesOfAttempt(String jobId, String workerId) {
    return HostProcesses.withEnvironment("HODEI_JOB_ID", jobId).stream()
        .filter(
            process ->
                HostProcesses.environment(process.pid()).contains("HODEI_WORKER_ID=" + workerId))
        .toList();
  }
}
