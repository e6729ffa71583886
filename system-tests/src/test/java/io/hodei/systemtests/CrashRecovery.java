package io.hodei.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The crash scenario shared by the crash tests: jobs run, the server is brought down by {@code
 * crash} and started again on the same home and port, and then every job must end SUCCEEDED once,
 * with the whole log of its last attempt and no line stored twice, and no worker or agent may be
 * left.
 */
final class CrashRecovery {

  private static final int JOBS = 6;
  private static final Duration RUN = Duration.ofSeconds(120);

  private CrashRecovery() {}

  /** What a job's attempts may show after the crash. */
  enum Attempts {
    /** The restart costs no attempt: the agents reconnect and finish where they were. */
    FIRST_ONLY,
    /**
     * A worker whose agent did not reconnect within the heartbeat timeout may be given up as lost
     * and its job retried, as an infrastructure failure, never as a job failure.
     */
    RETRIES_OF_LOST_WORKERS
  }

  static void run(HodeiServer server, Consumer<HodeiServer> crash, Attempts attempts) {
    Api api = new Api(server);
    JobsClient jobs = api.jobs();
    // Six jobs of 3.5 to 6 s on a pool of four workers: some run, some wait, when the server dies.
    Map<String, CountingJob> submitted = new LinkedHashMap<>();
    for (int k = 1; k <= JOBS; k++) {
      CountingJob job = new CountingJob("crash-" + k, 6 + k);
      submitted.put(jobs.submit(job.spec()), job);
    }
    await("two jobs running")
        .atMost(RUN)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                submitted.keySet().stream()
                        .filter(id -> "RUNNING".equals(jobs.get(id).state()))
                        .count()
                    >= 2);

    crash.accept(server);
    server.restart();

    submitted.forEach(
        (id, job) -> {
          Job ended = jobs.awaitState(id, "SUCCEEDED", RUN);
          assertThat(ended.finalEvents()).as("final events of %s", ended.json()).hasSize(1);
          assertThat(ended.events())
              .as("events of %s", ended.json())
              .extracting(Job.Event::to)
              .doesNotContain("FAILED", "CANCELLED", "TIMED_OUT");
          if (attempts == Attempts.FIRST_ONLY) {
            assertThat(ended.attempt()).as("attempt of %s", ended.json()).isEqualTo(1);
          } else {
            assertThat(ended.events())
                .as("retries of %s", ended.json())
                .filteredOn(
                    event -> event.attempt() < ended.attempt() && "PENDING".equals(event.to()))
                .hasSize(ended.attempt() - 1)
                .allSatisfy(
                    event -> assertThat(event.reason()).contains("infrastructure failure", "lost"));
          }
          List<LogLine> lines = jobs.logs(id);
          assertThat(lines)
              .as("log lines of %s, each attempt's sequence numbers once", ended.json())
              .extracting(line -> line.attempt() + "/" + line.sequence())
              .doesNotHaveDuplicates();
          assertThat(lines)
              .as("stdout of %s", ended.json())
              .filteredOn(line -> line.attempt() == ended.attempt())
              .filteredOn(line -> "STDOUT".equals(line.stream()))
              .extracting(LogLine::text)
              .containsExactlyElementsOf(job.expectedLines());
        });

    WorkersClient workers = api.workers();
    await("no worker left")
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(workers.list(false)).as("live workers").isEmpty();
              assertThat(workers.list(true))
                  .as("every worker ever started")
                  .isNotEmpty()
                  .allSatisfy(
                      worker -> {
                        assertThat(worker.isFinal()).as("%s is final", worker).isTrue();
                        assertThat(worker.released()).as("%s is released", worker).isTrue();
                      });
              assertThat(server.agentProcesses()).as("agent processes of this home").isEmpty();
            });
  }
}
