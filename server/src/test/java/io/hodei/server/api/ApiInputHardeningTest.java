package io.hodei.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per way a hostile or careless body, path or query used to get past validation: each
 * answers a 400 (or the documented 4xx) with the error body, and stores nothing.
 */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class ApiInputHardeningTest {

  private static final String JOB =
      "{\"name\": \"raw\", \"command\": \"true\", \"pool\": \"nowhere\"";

  @Test
  void aNullInEnvLabelsOrAProviderConfigIsA400NamingTheEntry() {
    int jobs = Jobs.count();
    post("/api/v1/jobs", JOB + ", \"env\": {\"A\": null}}")
        .statusCode(400)
        .body("problems.field", hasItem("env.A"));
    post("/api/v1/jobs", JOB + ", \"labels\": {\"team\": null}}")
        .statusCode(400)
        .body("problems.field", hasItem("labels.team"));
    assertThat(Jobs.count()).isEqualTo(jobs);
    post(
            "/api/v1/providers",
            "{\"name\": \"null-config\", \"type\": \"local\", \"config\": {\"terminationGrace\":"
                + " null}}")
        .statusCode(400)
        .body("problems.field", hasItem("config.terminationGrace"));
    assertThat(names("/api/v1/providers")).doesNotContain("null-config");
  }

  @Test
  void aNulInAPoolsProviderInstanceOrTenantIsA400() {
    post("/api/v1/pools", "{\"name\": \"nul-1\", \"providerInstance\": \"lo\\u0000cal\"}")
        .statusCode(400)
        .body("problems.field", hasItem("providerInstance"));
    post(
            "/api/v1/pools",
            "{\"name\": \"nul-2\", \"providerInstance\": \"local\", \"tenant\": \"a\\u0000\"}")
        .statusCode(400)
        .body("problems.field", hasItem("tenant"));
    // Other control characters could be stored, but name nothing.
    post(
            "/api/v1/pools",
            "{\"name\": \"nul-3\", \"providerInstance\": \"local\", \"tenant\": \"a\\u001b[0m\"}")
        .statusCode(400)
        .body("problems.field", hasItem("tenant"));
    assertThat(names("/api/v1/pools")).doesNotContain("nul-1", "nul-2", "nul-3");
  }

  @Test
  void aNulInAPathSegmentOrAQueryParameterIsA400BeforeTheDatabase() {
    raw("/api/v1/pools/%00").statusCode(400).body("problems.field", hasItem("path"));
    raw("/api/v1/providers/a%00b").statusCode(400).body("problems.field", hasItem("path"));
    raw("/api/v1/secrets/a%00").statusCode(400).body("problems.field", hasItem("path"));
    raw("/api/v1/audit?reference=%00").statusCode(400).body("problems.field", hasItem("reference"));
    raw("/api/v1/audit?jobId=x%00").statusCode(400).body("problems.field", hasItem("jobId"));
    raw("/api/v1/audit?action=%01").statusCode(400).body("problems.field", hasItem("action"));
  }

  @Test
  void trailingTokensAfterTheBodyAreA400() {
    int jobs = Jobs.count();
    post("/api/v1/jobs", JOB + "}xyz")
        .statusCode(400)
        .body("error", containsString("not valid JSON"))
        .body("problems.field", hasItem("body"));
    post("/api/v1/jobs", JOB + "}" + JOB + "}").statusCode(400);
    post("/api/v1/pools", "{\"name\": \"trailing\", \"providerInstance\": \"local\"} []")
        .statusCode(400);
    assertThat(Jobs.count()).isEqualTo(jobs);
    assertThat(names("/api/v1/pools")).doesNotContain("trailing");
  }

  @Test
  void durationsAndCountsOutOfTheirRangeAreA400NotStoredAsNonsense() {
    post(
            "/api/v1/pools",
            "{\"name\": \"overflow-1\", \"providerInstance\": \"local\", \"idleTimeoutSeconds\":"
                + " 9223372036854775807}")
        .statusCode(400)
        .body("problems.field", hasItem("idleTimeoutSeconds"));
    post(
            "/api/v1/pools",
            "{\"name\": \"overflow-2\", \"providerInstance\": \"local\","
                + " \"provisioningTimeoutSeconds\": 4611686018427387904}")
        .statusCode(400)
        .body("problems.field", hasItem("provisioningTimeoutSeconds"));
    post(
            "/api/v1/pools",
            "{\"name\": \"overflow-3\", \"providerInstance\": \"local\", \"maxWorkers\":"
                + " 99999999999}")
        .statusCode(400)
        .body("problems.field", hasItem("maxWorkers"));
    assertThat(names("/api/v1/pools")).doesNotContain("overflow-1", "overflow-2", "overflow-3");
    int jobs = Jobs.count();
    post(
            "/api/v1/jobs",
            JOB
                + ", \"timeoutSeconds\": 9223372036854775807, \"resources\": {\"cpuMillis\":"
                + " 9223372036854775807}, \"retry\": {\"initialBackoffSeconds\":"
                + " 9223372036854775807, \"maxBackoffSeconds\": 100000000}}")
        .statusCode(400)
        .body(
            "problems.field",
            hasItems(
                "timeoutSeconds",
                "resources.cpuMillis",
                "retry.initialBackoffSeconds",
                "retry.maxBackoffSeconds"));
    assertThat(Jobs.count()).isEqualTo(jobs);
  }

  @Test
  void badQueryParametersAreA400WithTheErrorBody() {
    query("/api/v1/jobs?limit=abc").body("problems.field", hasItem("limit"));
    query("/api/v1/jobs?offset=9223372036854775807").body("problems.field", hasItem("offset"));
    query("/api/v1/jobs?limit=501").body("problems.field", hasItem("limit"));
    query("/api/v1/workers?limit=x").body("problems.field", hasItem("limit"));
    query("/api/v1/workers?limit=0").body("problems.field", hasItem("limit"));
    query("/api/v1/workers?all=yes").body("problems.field", hasItem("all"));
    query("/api/v1/audit?limit=1.5").body("problems.field", hasItem("limit"));
    query("/api/v1/audit?limit=100000").body("problems.field", hasItem("limit"));
    query("/api/v1/jobs?state=done").body("problems.field", hasItem("state"));
  }

  @Test
  void wrongJsonTypesAreRefusedNotCoerced() {
    int jobs = Jobs.count();
    post("/api/v1/jobs", JOB + ", \"retry\": {\"retryJobFailures\": 7}}")
        .statusCode(400)
        .body("problems.field", hasItem("retry.retryJobFailures"))
        .body("problems.message", hasItem("expected true or false"));
    post("/api/v1/jobs", JOB + ", \"timeoutSeconds\": 1.5}")
        .statusCode(400)
        .body("problems.field", hasItem("timeoutSeconds"))
        .body("problems.message", hasItem("expected a whole number"));
    post("/api/v1/jobs", JOB + ", \"timeoutSeconds\": \"60\"}")
        .statusCode(400)
        .body("problems.field", hasItem("timeoutSeconds"));
    post("/api/v1/jobs", JOB + ", \"env\": {\"A\": 1}}")
        .statusCode(400)
        .body("problems.field", hasItem("env.A"));
    assertThat(Jobs.count()).isEqualTo(jobs);
    post("/api/v1/pools", "{\"name\": 5, \"providerInstance\": \"local\"}")
        .statusCode(400)
        .body("problems.field", hasItem("name"))
        .body("problems.message", hasItem("expected a string"));
    post(
            "/api/v1/pools",
            "{\"name\": \"coerced\", \"providerInstance\": \"local\", \"maxWorkers\": \"\"}")
        .statusCode(400)
        .body("problems.field", hasItem("maxWorkers"));
    assertThat(names("/api/v1/pools")).doesNotContain("5", "coerced");
  }

  @Test
  void aHugeFieldIsNotEchoedBackInFull() {
    String huge = "x".repeat(1024 * 1024);
    String poolBody =
        post("/api/v1/pools", "{\"name\": \"echo\", \"providerInstance\": \"" + huge + "\"}")
            .statusCode(400)
            .extract()
            .asString();
    assertThat(poolBody).hasSizeLessThan(2048);
    String jobBody =
        post("/api/v1/jobs", JOB + ", \"env\": {\"" + huge + "\": \"v\"}}")
            .statusCode(400)
            .extract()
            .asString();
    assertThat(jobBody).hasSizeLessThan(2048);
    String pathBody =
        Api.asAdmin()
            .get("/api/v1/pools/" + "y".repeat(3000))
            .then()
            .statusCode(404)
            .extract()
            .asString();
    assertThat(pathBody).hasSizeLessThan(1024).contains("yyy...");
  }

  private static ValidatableResponse post(String path, String body) {
    return Api.asAdmin().contentType("application/json").body(body).post(path).then();
  }

  private static ValidatableResponse raw(String pathAndQuery) {
    return Api.asAdmin().urlEncodingEnabled(false).get(pathAndQuery).then();
  }

  private static ValidatableResponse query(String pathAndQuery) {
    return raw(pathAndQuery).statusCode(400).body("error", containsString("query parameter"));
  }

  private static List<String> names(String path) {
    return Api.asAdmin().get(path).then().statusCode(200).extract().jsonPath().getList("name");
  }
}
