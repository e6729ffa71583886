package io.hodei.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quotas, pool selectors, plan, pool and provider changes, drain and capacity, through the API. */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class GovernanceApiTest {

  private static final Duration RUN = Duration.ofSeconds(60);

  @Test
  void aJobOverItsTenantsQuotaWaitsWithTheReasonAndRunsOnceCapacityFrees() {
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("cpuMillis", -1, "weight", 0))
        .put("/api/v1/tenants/default/quota")
        .then()
        .statusCode(400)
        .body("problems.field", hasItem("cpuMillis"))
        .body("problems.field", hasItem("weight"));
    Api.asAdmin().get("/api/v1/tenants/nobody/quota").then().statusCode(404);

    // Jobs left by earlier test classes in this application would hold the quota.
    Jobs.cancelAllUnended(RUN);
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("jobs", 1, "weight", 2))
        .put("/api/v1/tenants/default/quota")
        .then()
        .statusCode(200)
        .body("jobs", equalTo(1))
        .body("cpuMillis", nullValue());
    try {
      Api.asAdmin()
          .get("/api/v1/tenants/default/quota")
          .then()
          .statusCode(200)
          .body("weight", equalTo(2.0f));
      // Long enough to outlast the checks below on a slow machine; cancelled once they pass.
      String first = Jobs.submit(Map.of("name", "first", "command", "sleep 120"));
      Jobs.awaitState(first, "RUNNING", RUN);
      String second = Jobs.submit(Map.of("name", "second", "command", "true"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonPath job = Jobs.get(second);
                assertThat(job.getString("state")).isEqualTo("PENDING");
                assertThat(job.getString("waitReason.code")).isEqualTo("TENANT_QUOTA");
                assertThat(job.getString("waitReason.message"))
                    .isEqualTo(
                        "tenant 'default' quota: running jobs 1 of 1 in use, this job needs 1");
                assertThat(job.getString("reason")).isEqualTo(job.getString("waitReason.message"));
                assertThat(job.getList("waitReason.pools.code")).containsExactly("TENANT_QUOTA");
                assertThat(job.getInt("waitReason.tenantQueuePosition")).isEqualTo(1);
              });
      Api.asAdmin()
          .get("/api/v1/capacity")
          .then()
          .statusCode(200)
          .body("tenants.find { it.name == 'default' }.limit.jobs", equalTo(1))
          .body("tenants.find { it.name == 'default' }.reserved.jobs", equalTo(1))
          .body("tenants.find { it.name == 'default' }.free.jobs", equalTo(0));
      Api.asAdmin().post("/api/v1/jobs/" + first + "/cancel").then().statusCode(202);
      Jobs.awaitState(first, "CANCELLED", RUN);
      JsonPath ran = Jobs.awaitState(second, "SUCCEEDED", RUN);
      assertThat(ran.getString("waitReason")).isNull();
    } finally {
      Api.asAdmin().delete("/api/v1/tenants/default/quota").then().statusCode(204);
    }
    Api.asAdmin().delete("/api/v1/tenants/default/quota").then().statusCode(404);
  }

  @Test
  void aPoolSelectorRunsTheJobInThePoolCarryingItsLabels() {
    createPool("sel-eu", Map.of("labels", Map.of("zone", "eu-test"), "ratePerWorkerHour", 1.5));
    createPool("sel-us", Map.of("labels", Map.of("zone", "us-test")));
    Api.asAdmin()
        .get("/api/v1/pools/sel-eu")
        .then()
        .statusCode(200)
        .body("labels.zone", equalTo("eu-test"))
        .body("ratePerWorkerHour", equalTo(1.5f))
        .body("state", equalTo("ACTIVE"))
        .body("capacity.workers", equalTo(4))
        .body("capacity.cpuMillis", nullValue());

    String id =
        Jobs.submit(
            Map.of(
                "name", "selected", "command", "true", "poolSelector", Map.of("zone", "us-test")));
    assertThat(Jobs.awaitState(id, "SUCCEEDED", RUN).getString("pool")).isEqualTo("sel-us");

    Api.asAdmin()
        .contentType("application/json")
        .body(
            Map.of(
                "name",
                "both",
                "command",
                "true",
                "pool",
                "sel-eu",
                "poolSelector",
                Map.of("zone", "eu-test")))
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("problems.field", hasItem("poolSelector"));

    String none =
        Jobs.submit(
            Map.of("name", "none", "command", "true", "poolSelector", Map.of("zone", "mars")));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(Jobs.get(none).getString("waitReason.code"))
                    .isEqualTo("NO_MATCHING_POOL"));
    Api.asAdmin().post("/api/v1/jobs/" + none + "/cancel").then().statusCode(202);
  }

  @Test
  void planSaysWhereAJobWouldRunOrWhyNotAndStoresNothing() {
    int before = Jobs.count();
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", "planned", "command", "true"))
        .post("/api/v1/jobs/plan")
        .then()
        .statusCode(200)
        .body("outcome", equalTo("PROVISION"))
        .body("pool", equalTo("default"))
        .body("providerInstance", equalTo("local"));
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", "planned", "command", "true", "pool", "nowhere"))
        .post("/api/v1/jobs/plan")
        .then()
        .statusCode(200)
        .body("outcome", equalTo("WAIT"))
        .body("waitReason.code", equalTo("NO_MATCHING_POOL"))
        .body("waitReason.message", equalTo("pool 'nowhere': does not exist"));
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", "planned"))
        .post("/api/v1/jobs/plan")
        .then()
        .statusCode(400)
        .body("problems.field", hasItem("steps"));
    assertThat(Jobs.count()).isEqualTo(before);
  }

  @Test
  void aPoolIsChangedDisabledEnabledAndDrainedAway() {
    createPool("patched", Map.of("maxWorkers", 1));
    Api.asAdmin()
        .contentType("application/json")
        .body(
            Map.of(
                "labels",
                Map.of("tier", "gold"),
                "cpuMillis",
                4000,
                "priority",
                5,
                "ratePerVcpuHour",
                0.25,
                "state",
                "DISABLED"))
        .patch("/api/v1/pools/patched")
        .then()
        .statusCode(200)
        .body("labels.tier", equalTo("gold"))
        .body("capacity.cpuMillis", equalTo(4000))
        .body("priority", equalTo(5))
        .body("state", equalTo("DISABLED"));
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("maxWorkers", 0, "state", "GONE", "bogus", 1))
        .patch("/api/v1/pools/patched")
        .then()
        .statusCode(400)
        .body("problems.field", hasItem("maxWorkers"))
        .body("problems.field", hasItem("state"))
        .body("problems.field", hasItem("bogus"));
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("priority", 1))
        .patch("/api/v1/pools/missing")
        .then()
        .statusCode(404)
        .body("error", equalTo("no pool named missing"));

    String id = Jobs.submit(Map.of("name", "held", "command", "sleep 3", "pool", "patched"));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(Jobs.get(id).getString("waitReason.code")).isEqualTo("POOL_DISABLED"));
    Map<String, Object> active = new HashMap<>();
    active.put("state", "ACTIVE");
    active.put("cpuMillis", null);
    Api.asAdmin()
        .contentType("application/json")
        .body(active)
        .patch("/api/v1/pools/patched")
        .then()
        .statusCode(200)
        .body("capacity.cpuMillis", nullValue());
    Jobs.awaitState(id, "RUNNING", RUN);

    Api.asAdmin()
        .get("/api/v1/capacity")
        .then()
        .statusCode(200)
        .body("pools.find { it.name == 'patched' }.limit.workers", equalTo(1))
        .body("pools.find { it.name == 'patched' }.reserved.workers", equalTo(1))
        .body("pools.find { it.name == 'patched' }.free.workers", equalTo(0))
        .body("providers.find { it.name == 'local' }.limit.workers", nullValue());
    Api.asAdmin().delete("/api/v1/pools/patched").then().statusCode(409);
    Api.asAdmin().queryParam("drain", true).delete("/api/v1/pools/patched").then().statusCode(202);
    Api.asAdmin().get("/api/v1/pools/patched").then().body("state", equalTo("DRAINING"));
    Jobs.awaitState(id, "SUCCEEDED", RUN);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> Api.asAdmin().get("/api/v1/pools/patched").then().statusCode(404));

    createPool("empty", Map.of());
    Api.asAdmin().delete("/api/v1/pools/empty").then().statusCode(204);
    Api.asAdmin().delete("/api/v1/pools/empty").then().statusCode(404);
  }

  @Test
  void aProviderInstanceGetsLimitsAndIsDeletedOnlyWhenUnused() {
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", "local-gov", "type", "local", "config", Map.of()))
        .post("/api/v1/providers")
        .then()
        .statusCode(201);
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("maxWorkers", 2, "maxCpuMillis", 8000))
        .patch("/api/v1/providers/local-gov")
        .then()
        .statusCode(200)
        .body("maxWorkers", equalTo(2))
        .body("maxCpuMillis", equalTo(8000));
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("maxWorkers", 0, "type", "docker"))
        .patch("/api/v1/providers/local-gov")
        .then()
        .statusCode(400)
        .body("problems.field", hasItem("maxWorkers"))
        .body("problems.field", hasItem("type"));
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("maxWorkers", 1))
        .patch("/api/v1/providers/missing")
        .then()
        .statusCode(404);

    Map<String, Object> pool =
        new HashMap<>(Map.of("name", "on-gov", "providerInstance", "local-gov"));
    Api.asAdmin()
        .contentType("application/json")
        .body(pool)
        .post("/api/v1/pools")
        .then()
        .statusCode(201);
    Api.asAdmin()
        .delete("/api/v1/providers/local-gov")
        .then()
        .statusCode(409)
        .body("error", org.hamcrest.Matchers.containsString("on-gov"));
    Api.asAdmin().delete("/api/v1/pools/on-gov").then().statusCode(204);
    Api.asAdmin().delete("/api/v1/providers/local-gov").then().statusCode(204);
    Api.asAdmin().get("/api/v1/providers/local-gov").then().statusCode(404);
  }

  private static void createPool(String name, Map<String, Object> fields) {
    Map<String, Object> body = new HashMap<>(fields);
    body.put("name", name);
    body.put("providerInstance", "local");
    Api.asAdmin()
        .contentType("application/json")
        .body(body)
        .post("/api/v1/pools")
        .then()
        .statusCode(201);
  }
}
