package io.hodei.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A full pool makes a job wait, says why, and lets it start once a worker frees up. */
class PoolCapacityIT {

  private static final Duration RUN = Duration.ofSeconds(60);

  private HodeiServer server;
  private Api api;

  @BeforeEach
  void start() {
    server = HodeiServer.start(TestHomes.create("pool-capacity"), Timings.fast());
    api = new Api(server);
  }

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void aJobWaitsPendingWithAReasonWhileItsPoolIsFullAndStartsWhenTheWorkerFrees() {
    api.createPool(Map.of("name", "single", "providerInstance", "local", "maxWorkers", 1));
    JobsClient jobs = api.jobs();
    String first = jobs.submit(Map.of("name", "first", "command", "sleep 5", "pool", "single"));
    jobs.awaitState(first, "RUNNING", RUN);
    String second =
        jobs.submit(Map.of("name", "second", "command", "echo second ran", "pool", "single"));

    Job waiting =
        jobs.awaitJob(
            second,
            "wait with a reason",
            job ->
                job.state().equals("PENDING")
                    && job.reason() != null
                    && job.reason().startsWith("pool 'single'"),
            Duration.ofSeconds(10));
    assertThat(waiting.reason())
        .isEqualTo("pool 'single': workers 1 of 1 in use, this job needs 1");
    assertThat(jobs.get(first).state()).as("the first job still runs").isEqualTo("RUNNING");

    Job firstEnded = jobs.awaitState(first, "SUCCEEDED", RUN);
    Job secondEnded = jobs.awaitState(second, "SUCCEEDED", RUN);
    assertThat(startOf(secondEnded))
        .as("the second job started after the first ended")
        .isAfterOrEqualTo(endOf(firstEnded));
    assertThat(jobs.logs(second)).extracting(LogLine::text).contains("second ran");
  }

  private static Instant startOf(Job job) {
    return job.events().stream()
        .filter(event -> "RUNNING".equals(event.to()))
        .map(event -> Instant.parse(event.at()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no RUNNING event in " + job.json()));
  }

  private static Instant endOf(Job job) {
    return job.finalEvents().stream()
        .map(event -> Instant.parse(event.at()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no final event in " + job.json()));
  }
}
