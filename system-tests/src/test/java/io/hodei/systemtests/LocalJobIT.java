package io.hodei.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packaged server, out of the box: a job runs on the local provider and comes back. */
class LocalJobIT {

  private HodeiServer server;
  private JobsClient jobs;
  private WorkersClient workers;

  @BeforeEach
  void start() {
    server = HodeiServer.start(TestHomes.create("local-job"), Timings.fast());
    Api api = new Api(server);
    jobs = api.jobs();
    workers = api.workers();
  }

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void aJobSucceedsOnTheLocalProviderWithItsLogsAndLeavesNoWorker() {
    String id =
        jobs.submit(
            Map.of(
                "name", "hello",
                "command", "for i in 1 2 3; do echo hello-$i; done"));

    Job job = jobs.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));

    assertThat(job.exitCode()).isZero();
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(jobs.logs(id))
        .filteredOn(line -> "STDOUT".equals(line.stream()))
        .extracting(LogLine::text)
        .containsExactly("hello-1", "hello-2", "hello-3");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(workers.list(false)).as("live workers").isEmpty();
              assertThat(workers.find(job.workerId()))
                  .hasValueSatisfying(
                      worker -> {
                        assertThat(worker.state()).isEqualTo("TERMINATED");
                        assertThat(worker.released()).isTrue();
                      });
              assertThat(server.agentProcesses()).as("agent processes").isEmpty();
            });
  }
}
