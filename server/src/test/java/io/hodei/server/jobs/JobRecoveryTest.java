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

/** Infrastructure failures are retried on a new worker; waiting jobs say why they wait. */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class JobRecoveryTest {

  @Test
  void killingTheAgentMidJobLosesTheWorkerAndRetriesTheJobOnANewOne() {
    String id =
        Jobs.submit(
            Map.of(
                "name",
                "survivor",
                "command",
                "if [ \"$HODEI_JOB_ATTEMPT\" = 1 ]; then sleep 60; fi; echo attempt $HODEI_JOB_ATTEMPT done"));
    String firstWorker =
        Jobs.awaitState(id, "RUNNING", Duration.ofSeconds(60)).getString("workerId");

    List<ProcessHandle> agents = Jobs.agentProcesses(firstWorker);
    assertThat(agents).as("the agent of worker " + firstWorker).hasSize(1);
    agents.get(0).destroyForcibly();

    JsonPath job = Jobs.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
    assertThat(job.getInt("attempt")).isEqualTo(2);
    assertThat(job.getString("workerId")).isNotEqualTo(firstWorker);
    assertThat(job.getList("events.reason", String.class))
        .anySatisfy(
            reason -> assertThat(reason).contains("infrastructure failure").contains(firstWorker));
    assertThat(workerState(firstWorker)).isEqualTo("LOST");
    assertThat(Jobs.logs(id)).extracting(l -> l.get("text")).contains("attempt 2 done");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(Jobs.processesOf(id)).isEmpty());
  }

  @Test
  void aJobForAPoolThatDoesNotExistWaitsAndSaysSo() {
    String id = Jobs.submit(Map.of("name", "lost", "command", "true", "pool", "nowhere"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "pool 'nowhere': does not exist".equals(Jobs.get(id).getString("reason")));
    assertThat(Jobs.get(id).getString("waitReason.code")).isEqualTo("NO_MATCHING_POOL");
    assertThat(Jobs.state(id)).isEqualTo("PENDING");
    Api.asAdmin().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
    assertThat(Jobs.state(id)).isEqualTo("CANCELLED");
  }

  @Test
  void aJobAskingForMoreThanAnyWorkerCanHaveWaitsAndSaysWhichResource() {
    String id =
        Jobs.submit(
            Map.of(
                "name",
                "huge",
                "command",
                "true",
                "resources",
                Map.of("cpuMillis", 500, "memoryMib", 64 * 1024 * 1024)));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var job = Jobs.get(id);
              assertThat(job.getString("waitReason.code")).isEqualTo("TOO_LARGE_FOR_ANY_POOL");
              assertThat(job.getString("reason"))
                  .contains("can never hold this job: memory at most")
                  .endsWith("this job needs 67108864 MiB");
            });
    Api.asAdmin().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
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
