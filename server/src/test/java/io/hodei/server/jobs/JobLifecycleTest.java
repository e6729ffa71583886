package io.hodei.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jobs run end to end: REST, PostgreSQL, the local plugin, real agent processes over gRPC. */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class JobLifecycleTest {

  private static final Duration RUN = Duration.ofSeconds(60);

  @Test
  void aJobRunsToSuccessOnAnEphemeralWorkerAndItsLogsComeBackInOrder() {
    String id =
        Jobs.submit(
            Map.of(
                "name",
                "hello",
                "steps",
                List.of(
                    Map.of("name", "greet", "command", "echo one; echo two"),
                    Map.of("name", "count", "command", "for i in 1 2 3; do echo line-$i; done"))));

    JsonPath job = Jobs.awaitState(id, "SUCCEEDED", RUN);
    assertThat(job.getInt("exitCode")).isZero();
    assertThat(job.getList("events.to", String.class))
        .containsSubsequence("PENDING", "PROVISIONING", "RUNNING", "SUCCEEDED");

    List<Map<String, Object>> lines = Jobs.logs(id);
    assertThat(lines)
        .filteredOn(l -> "STDOUT".equals(l.get("stream")))
        .extracting(l -> l.get("text"))
        .containsExactly("one", "two", "line-1", "line-2", "line-3");
    assertThat(lines)
        .extracting(l -> ((Number) l.get("sequence")).longValue())
        .isSorted()
        .doesNotHaveDuplicates();

    String workerId = job.getString("workerId");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(workerState(workerId)).isEqualTo("TERMINATED");
              assertThat(Jobs.agentProcesses(workerId)).isEmpty();
            });
  }

  @Test
  void aFailingStepEndsTheJobFailedWithItsExitCodeAndLaterStepsDoNotRun() {
    String id =
        Jobs.submit(
            Map.of(
                "name",
                "fails",
                "steps",
                List.of(
                    Map.of("name", "bad", "command", "echo about to fail; exit 3"),
                    Map.of("name", "never", "command", "echo should-not-run"))));

    JsonPath job = Jobs.awaitState(id, "FAILED", RUN);
    assertThat(job.getInt("exitCode")).isEqualTo(3);
    assertThat(job.getString("failureKind")).isEqualTo("JOB");
    assertThat(job.getInt("attempt")).as("job failures are not retried").isEqualTo(1);
    assertThat(Jobs.logs(id)).extracting(l -> l.get("text")).doesNotContain("should-not-run");
  }

  @Test
  void aJobPastItsTimeoutEndsTimedOutAndLeavesNoProcessBehind() {
    String id = Jobs.submit(Map.of("name", "slow", "command", "sleep 120", "timeoutSeconds", 3));

    JsonPath job = Jobs.awaitState(id, "TIMED_OUT", RUN);
    String workerId = job.getString("workerId");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(Jobs.agentProcesses(workerId)).isEmpty());
    assertThat(Jobs.processesOf(id)).isEmpty();
  }

  @Test
  void cancellingARunningJobEndsItCancelledAndStopsItsProcesses() {
    String id = Jobs.submit(Map.of("name", "long", "command", "sleep 97"));
    Jobs.awaitState(id, "RUNNING", RUN);

    Api.asAdmin().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);

    JsonPath job = Jobs.awaitState(id, "CANCELLED", RUN);
    String workerId = job.getString("workerId");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(Jobs.agentProcesses(workerId)).isEmpty();
              assertThat(Jobs.processesOf(id)).isEmpty();
            });
  }

  @Test
  void cancellingAnEndedJobIsAConflict() {
    String id = Jobs.submit(Map.of("name", "quick", "command", "true"));
    Jobs.awaitState(id, "SUCCEEDED", RUN);
    Api.asAdmin().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(409);
  }

  private static String workerState(String workerId) {
    return Api.asAdmin()
        .queryParam("all", true)
        .get("/api/v1/workers")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getString("find { it.id == '" + workerId + "' }.state");
  }
}
