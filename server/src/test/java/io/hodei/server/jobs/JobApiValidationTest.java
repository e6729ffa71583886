package io.hodei.server.jobs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;

import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bad input gets a 400 that names the field, and nothing is stored. */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class JobApiValidationTest {

  @Test
  void anInvalidSpecIsRefusedFieldByFieldAndNothingIsStored() {
    int before = Jobs.count();
    Api.asAdmin()
        .contentType("application/json")
        .body(
            """
            {"name": "", "steps": [{"name": "a", "command": ""}],
             "env": {"HODEI_TOKEN": "x"}, "timeoutSeconds": -5, "pool": "No Such Pool"}
            """)
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("error", containsString("invalid"))
        .body(
            "problems.field",
            hasItems("name", "steps[0].command", "env.HODEI_TOKEN", "timeoutSeconds", "pool"));
    assertThat(Jobs.count()).isEqualTo(before);
  }

  @Test
  void commandAndStepsTogetherAreRefused() {
    Api.asAdmin()
        .contentType("application/json")
        .body(
            "{\"name\": \"x\", \"command\": \"true\", \"steps\": [{\"name\": \"a\", \"command\": \"true\"}]}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("problems.field", hasItems("command"));
  }

  @Test
  void anUnknownFieldIsRefusedAndNamed() {
    Api.asAdmin()
        .contentType("application/json")
        .body("{\"name\": \"x\", \"command\": \"true\", \"timeout\": 5}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("problems.field", hasItems("timeout"));
  }

  @Test
  void malformedJsonIsRefused() {
    Api.asAdmin()
        .contentType("application/json")
        .body("{\"name\": ")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("error", containsString("not valid JSON"));
  }

  @Test
  void aWrongTypeIsRefusedWithItsField() {
    Api.asAdmin()
        .contentType("application/json")
        .body("{\"name\": \"x\", \"command\": \"true\", \"timeoutSeconds\": \"soon\"}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("problems.field", hasItems("timeoutSeconds"));
  }

  @Test
  void unknownOrMalformedIdsAre404() {
    Api.asAdmin().get("/api/v1/jobs/" + UUID.randomUUID()).then().statusCode(404);
    Api.asAdmin().get("/api/v1/jobs/not-an-id").then().statusCode(404);
    Api.asAdmin().post("/api/v1/jobs/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
    Api.asAdmin().get("/api/v1/jobs/" + UUID.randomUUID() + "/logs").then().statusCode(404);
  }

  @Test
  void submittingWithoutATokenIs401() {
    given()
        .contentType("application/json")
        .body("{\"name\": \"x\", \"command\": \"true\"}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(401);
  }

  @Test
  void anUnknownStateFilterIsA400() {
    Api.asAdmin().queryParam("state", "DONE").get("/api/v1/jobs").then().statusCode(400);
  }
}
