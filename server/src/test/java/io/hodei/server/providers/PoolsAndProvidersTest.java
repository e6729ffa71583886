package io.hodei.server.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItems;

import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Provider instances and pools through the API, and a pool's worker limit in action. */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class PoolsAndProvidersTest {

  @Test
  void theEmbeddedDefaultsAreThere() {
    Api.asAdmin()
        .get("/api/v1/providers")
        .then()
        .statusCode(200)
        .body("find { it.name == 'local' }.type", org.hamcrest.Matchers.equalTo("local"));
    Api.asAdmin()
        .get("/api/v1/pools")
        .then()
        .statusCode(200)
        .body(
            "find { it.name == 'default' }.providerInstance",
            org.hamcrest.Matchers.equalTo("local"));
  }

  @Test
  void aProviderOfAnUnknownTypeIsRefusedAndNotStored() {
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", "cloud-1", "type", "no-such-cloud", "config", Map.of()))
        .post("/api/v1/providers")
        .then()
        .statusCode(400)
        .body("problems.field", hasItems("type"));
    assertThat(Api.asAdmin().get("/api/v1/providers").then().extract().jsonPath().getList("name"))
        .doesNotContain("cloud-1");
  }

  @Test
  void aConfigurationTheProviderRefusesIsA400AndNotStored() {
    Api.asAdmin()
        .contentType("application/json")
        .body(
            Map.of(
                "name", "local-bad", "type", "local", "config", Map.of("terminationGrace", "soon")))
        .post("/api/v1/providers")
        .then()
        .statusCode(400)
        .body("problems.field", hasItems("config"));
    assertThat(Api.asAdmin().get("/api/v1/providers").then().extract().jsonPath().getList("name"))
        .doesNotContain("local-bad");
  }

  @Test
  void anOverflowingSettingFailsThatInstanceAloneAndTheLocalPluginKeepsWorking() {
    for (String grace : java.util.List.of("99999999999999999999s", "9999999999999999h")) {
      Api.asAdmin()
          .contentType("application/json")
          .body(
              Map.of(
                  "name",
                  "local-overflow",
                  "type",
                  "local",
                  "config",
                  Map.of("terminationGrace", grace)))
          .post("/api/v1/providers")
          .then()
          .statusCode(400)
          .body("problems.field", hasItems("config"))
          .body("problems[0].message", org.hamcrest.Matchers.containsString("terminationGrace"));
    }
    assertThat(Api.asAdmin().get("/api/v1/providers").then().extract().jsonPath().getList("name"))
        .doesNotContain("local-overflow");
    Api.asAdmin()
        .get("/api/v1/plugins")
        .then()
        .statusCode(200)
        .body(
            "find { it.providerTypes.contains('local') }.state",
            org.hamcrest.Matchers.equalTo("STARTED"));
    Api.asAdmin()
        .get("/api/v1/providers/local")
        .then()
        .statusCode(200)
        .body("open", org.hamcrest.Matchers.equalTo(true))
        .body("problem", org.hamcrest.Matchers.nullValue());
    String id = Jobs.submit(Map.of("name", "after-overflow", "command", "true"));
    Jobs.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
  }

  @Test
  void theLocationOfACreatedPoolAnswersWithThePoolAndUnknownNamesAre404() {
    String name = "located-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String location =
        Api.asAdmin()
            .contentType("application/json")
            .body(Map.of("name", name, "providerInstance", "local", "maxWorkers", 2))
            .post("/api/v1/pools")
            .then()
            .statusCode(201)
            .extract()
            .header("Location");

    Api.asAdmin()
        .get(java.net.URI.create(location).getPath())
        .then()
        .statusCode(200)
        .body("name", org.hamcrest.Matchers.equalTo(name))
        .body("maxWorkers", org.hamcrest.Matchers.equalTo(2))
        .body("activeWorkers", org.hamcrest.Matchers.equalTo(0));
    Api.asAdmin()
        .get("/api/v1/pools/no-such-pool")
        .then()
        .statusCode(404)
        .body("error", org.hamcrest.Matchers.containsString("no pool named no-such-pool"));
    Api.asAdmin()
        .get("/api/v1/providers/local")
        .then()
        .statusCode(200)
        .body("type", org.hamcrest.Matchers.equalTo("local"))
        .body("open", org.hamcrest.Matchers.equalTo(true));
    Api.asAdmin()
        .get("/api/v1/providers/no-such-instance")
        .then()
        .statusCode(404)
        .body(
            "error",
            org.hamcrest.Matchers.containsString("no provider instance named no-such-instance"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"acme/sub", "../acme", "*", "%", "acme ", "Acme", "7up", ""})
  void aPoolWhoseTenantIsNoTenantNameIsRefusedAndNotStored(String tenant) {
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", "bad-tenant", "providerInstance", "local", "tenant", tenant))
        .post("/api/v1/pools")
        .then()
        .statusCode(400)
        .body("problems.field", hasItems("tenant"));
    Api.asAdmin().get("/api/v1/pools/bad-tenant").then().statusCode(404);
  }

  @Test
  void aPoolOfA63CharacterTenantIsAccepted() {
    String tenant = "t" + "0".repeat(62);
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", "long-tenant", "providerInstance", "local", "tenant", tenant))
        .post("/api/v1/pools")
        .then()
        .statusCode(201)
        .body("tenant", org.hamcrest.Matchers.equalTo(tenant));
    Api.asAdmin()
        .contentType("application/json")
        .body(
            Map.of("name", "too-long-tenant", "providerInstance", "local", "tenant", tenant + "0"))
        .post("/api/v1/pools")
        .then()
        .statusCode(400);
  }

  @Test
  void aPoolOnAnUnknownInstanceIsRefused() {
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", "ghost", "providerInstance", "nobody"))
        .post("/api/v1/pools")
        .then()
        .statusCode(400)
        .body("problems.field", hasItems("providerInstance"));
  }

  @Test
  void aFullPoolMakesTheNextJobWaitWithThatReasonUntilAWorkerFrees() {
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", "local-2", "type", "local", "config", Map.of()))
        .post("/api/v1/providers")
        .then()
        .statusCode(201);
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", "single", "providerInstance", "local-2", "maxWorkers", 1))
        .post("/api/v1/pools")
        .then()
        .statusCode(201);
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", "single", "providerInstance", "local-2"))
        .post("/api/v1/pools")
        .then()
        .statusCode(409);

    // Long enough to outlast the checks below on a slow machine; cancelled once they pass.
    String first = Jobs.submit(Map.of("name", "first", "command", "sleep 120", "pool", "single"));
    Jobs.awaitState(first, "RUNNING", Duration.ofSeconds(60));
    String second = Jobs.submit(Map.of("name", "second", "command", "true", "pool", "single"));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var job = Jobs.get(second);
              assertThat(job.getString("reason"))
                  .isEqualTo("pool 'single': workers 1 of 1 in use, this job needs 1");
              assertThat(job.getString("waitReason.code")).isEqualTo("POOL_FULL");
              // Other classes' jobs may still wait in this application, ahead of it.
              assertThat(job.getInt("waitReason.queuePosition")).isPositive();
            });
    Api.asAdmin().post("/api/v1/jobs/" + first + "/cancel").then().statusCode(202);
    Jobs.awaitState(first, "CANCELLED", Duration.ofSeconds(60));
    Jobs.awaitState(second, "SUCCEEDED", Duration.ofSeconds(60));
  }

  @Test
  void aPoolThatReusesWorkersRunsTheNextJobOnTheSameWorker() {
    Api.asAdmin()
        .contentType("application/json")
        .body(
            Map.of(
                "name",
                "reuse",
                "providerInstance",
                "local",
                "maxWorkers",
                1,
                "maxJobsPerWorker",
                3,
                "idleTimeoutSeconds",
                60))
        .post("/api/v1/pools")
        .then()
        .statusCode(201);

    String first = Jobs.submit(Map.of("name", "first", "command", "echo one", "pool", "reuse"));
    String worker =
        Jobs.awaitState(first, "SUCCEEDED", Duration.ofSeconds(60)).getString("workerId");
    String second = Jobs.submit(Map.of("name", "second", "command", "echo two", "pool", "reuse"));

    assertThat(Jobs.awaitState(second, "SUCCEEDED", Duration.ofSeconds(60)).getString("workerId"))
        .isEqualTo(worker);
  }

  @Test
  void aReusedWorkerAlwaysHasTheJobsShapeAndAFullPoolRetiresAnIdleWorkerOfAnotherShape() {
    String pool = "reshape-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    Api.asAdmin()
        .contentType("application/json")
        .body(
            Map.of(
                "name",
                pool,
                "providerInstance",
                "local",
                "maxWorkers",
                1,
                "maxJobsPerWorker",
                5,
                "idleTimeoutSeconds",
                600))
        .post("/api/v1/pools")
        .then()
        .statusCode(201);
    Map<String, Object> small = Map.of("cpuMillis", 500, "memoryMib", 256);
    Map<String, Object> large = Map.of("cpuMillis", 1000, "memoryMib", 512);

    String first =
        Jobs.submit(Map.of("name", "small", "command", "echo 1", "pool", pool, "resources", small));
    String smallWorker =
        Jobs.awaitState(first, "SUCCEEDED", Duration.ofSeconds(60)).getString("workerId");

    // The pool is full with an idle worker of the wrong size: it is retired, not reused, and the
    // job does not wait ten minutes for its idle timeout.
    String second =
        Jobs.submit(Map.of("name", "large", "command", "echo 2", "pool", pool, "resources", large));
    String largeWorker =
        Jobs.awaitState(second, "SUCCEEDED", Duration.ofSeconds(60)).getString("workerId");
    assertThat(largeWorker).isNotEqualTo(smallWorker);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(workerState(smallWorker))
                    .as("the retired worker")
                    .isIn("TERMINATING", "TERMINATED"));

    String third =
        Jobs.submit(
            Map.of("name", "large-again", "command", "echo 3", "pool", pool, "resources", large));
    assertThat(Jobs.awaitState(third, "SUCCEEDED", Duration.ofSeconds(60)).getString("workerId"))
        .as("a job of the same shape reuses the worker")
        .isEqualTo(largeWorker);
  }

  private static String workerState(String id) {
    return Api.asAdmin()
        .queryParam("all", true)
        .get("/api/v1/workers")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getString("find { it.id == '" + id + "' }.state");
  }
}
