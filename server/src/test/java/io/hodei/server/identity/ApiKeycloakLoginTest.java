package io.hodei.server.identity;

import static io.hodei.server.testing.Users.as;
import static io.hodei.server.testing.Users.login;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.credentials.identity.KeycloakTestServer;
import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The API with Keycloak configured: people log in to the realm and present its access tokens; the
 * tenant comes from their token and the roles from their realm roles. The test realm has alice
 * (user, tenant-a), bob (user, tenant-b), olga (user and operator, tenant-a) and audrey (auditor,
 * tenant-a).
 */
@QuarkusTest
@Tag("keycloak")
@WithTestResource(HodeiTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class ApiKeycloakLoginTest {

  @Test
  void aTenantSeesOnlyItsOwnJobsAndSecrets() {
    RequestSpecification alice = as("alice");
    RequestSpecification bob = as("bob");
    String id =
        alice
            .contentType("application/json")
            .body(Map.of("name", "alice-job", "command", "true"))
            .post("/api/v1/jobs")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    as("alice").get("/api/v1/jobs/" + id).then().statusCode(200);
    assertThat(as("alice").get("/api/v1/jobs/" + id).then().extract().<String>path("tenant"))
        .isEqualTo("tenant-a");
    bob.get("/api/v1/jobs/" + id).then().statusCode(404);
    assertThat(as("bob").get("/api/v1/jobs").then().statusCode(200).extract().asString())
        .doesNotContain(id);

    String name = "k-" + UUID.randomUUID();
    as("alice")
        .contentType("application/json")
        .body(Map.of("fields", Map.of("value", "alice-only")))
        .put("/api/v1/secrets/" + name)
        .then()
        .statusCode(201)
        .body("reference", org.hamcrest.Matchers.equalTo("local:tenants/tenant-a/" + name));
    List<String> bobs =
        as("bob").get("/api/v1/secrets").then().statusCode(200).extract().path("name");
    assertThat(bobs).doesNotContain(name);
    as("bob").get("/api/v1/secrets/" + name).then().statusCode(404);
  }

  @Test
  void aTenantsPoolIsSeenAndUsedOnlyByThatTenant() {
    String pool = "tenant-a-" + UUID.randomUUID().toString().substring(0, 8);
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", pool, "providerInstance", "local", "tenant", "tenant-a"))
        .post("/api/v1/pools")
        .then()
        .statusCode(201)
        .body("tenant", org.hamcrest.Matchers.equalTo("tenant-a"));

    List<String> alices =
        as("alice").get("/api/v1/pools").then().statusCode(200).extract().path("name");
    assertThat(alices).contains(pool, "default");
    as("alice").get("/api/v1/pools/" + pool).then().statusCode(200);
    List<String> bobs =
        as("bob").get("/api/v1/pools").then().statusCode(200).extract().path("name");
    assertThat(bobs).contains("default").doesNotContain(pool);
    as("bob").get("/api/v1/pools/" + pool).then().statusCode(404);

    String bobsJob = submit(as("bob"), pool);
    String alicesJob = submit(as("alice"), pool);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                as("alice")
                    .get("/api/v1/jobs/" + alicesJob)
                    .then()
                    .body("state", org.hamcrest.Matchers.equalTo("SUCCEEDED")));
    as("bob")
        .get("/api/v1/jobs/" + bobsJob)
        .then()
        .statusCode(200)
        .body("state", org.hamcrest.Matchers.equalTo("PENDING"))
        .body("reason", org.hamcrest.Matchers.equalTo("pool '" + pool + "': does not exist"));
    as("bob").post("/api/v1/jobs/" + bobsJob + "/cancel").then().statusCode(202);
  }

  private static String submit(RequestSpecification who, String pool) {
    return who.contentType("application/json")
        .body(Map.of("name", "pool-job", "command", "true", "pool", pool))
        .post("/api/v1/jobs")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  @Test
  void rolesComeFromTheRealm() {
    as("alice").get("/api/v1/providers").then().statusCode(403);
    as("olga").get("/api/v1/providers").then().statusCode(200);
    // Plugins describe the installation: operators only, as docs/api.md says.
    as("alice").get("/api/v1/plugins").then().statusCode(403);
    as("olga").get("/api/v1/plugins").then().statusCode(200);
    as("alice").get("/api/v1/audit").then().statusCode(403);
    as("audrey").get("/api/v1/audit").then().statusCode(200);
    as("audrey").get("/api/v1/jobs").then().statusCode(403);
  }

  @Test
  void missingForgedAndForeignTokensAreRefusedAndTheAdminTokenStillWorks() {
    given().get("/api/v1/jobs").then().statusCode(401);
    String token = login("alice");
    // Same header and claims, another signature: not the realm's key.
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
    given().header("Authorization", "Bearer " + forged).get("/api/v1/jobs").then().statusCode(401);
    given()
        .header("Authorization", "Bearer not-a-token")
        .get("/api/v1/jobs")
        .then()
        .statusCode(401);
    // A service account of another client: a valid realm token, but not for the API's audience.
    String foreign =
        given()
            .formParams(
                Map.of(
                    "grant_type", "client_credentials",
                    "client_id", "ci-runner",
                    "client_secret", "ci-runner-secret"))
            .post(KeycloakTestServer.get().tokenEndpoint())
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    given().header("Authorization", "Bearer " + foreign).get("/api/v1/jobs").then().statusCode(401);

    Api.asAdmin().get("/api/v1/jobs").then().statusCode(200);
  }

  @Test
  void idTokensAndRefreshTokensAreRefused() {
    Map<String, Object> tokens =
        given()
            .formParams(
                Map.of(
                    "grant_type", "password",
                    "client_id", "hodei-api",
                    "client_secret", "hodei-api-secret",
                    "username", "olga",
                    "password", "olga-password",
                    "scope", "openid"))
            .post(KeycloakTestServer.get().tokenEndpoint())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getMap("");
    given()
        .header("Authorization", "Bearer " + tokens.get("access_token"))
        .get("/api/v1/jobs")
        .then()
        .statusCode(200);
    // The ID token is signed by the realm's key and names the API's client as its audience.
    given()
        .header("Authorization", "Bearer " + tokens.get("id_token"))
        .get("/api/v1/jobs")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer " + tokens.get("refresh_token"))
        .get("/api/v1/jobs")
        .then()
        .statusCode(401);
  }

  /**
   * Service accounts of the test realm, each holding the role {@code user}, whose tokens carry the
   * API's audience and a hard-coded tenant claim.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"slash", "dot-dot", "star", "percent", "trailing-space", "long", "array"})
  void tokensWhoseTenantClaimIsNoTenantNameAreRefused(String client) {
    String token = serviceAccountToken("tenant-claim-" + client);
    given().header("Authorization", "Bearer " + token).get("/api/v1/jobs").then().statusCode(401);
    given()
        .header("Authorization", "Bearer " + token)
        .get("/api/v1/secrets")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer " + token)
        .contentType("application/json")
        .body(Map.of("fields", Map.of("value", "planted")))
        .put("/api/v1/secrets/planted")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer " + token)
        .contentType("application/json")
        .body(Map.of("name", "claim-job", "command", "true"))
        .post("/api/v1/jobs")
        .then()
        .statusCode(401);
  }

  @Test
  void aServiceAccountWithAValidTenantClaimIsAccepted() {
    String token = serviceAccountToken("tenant-claim-valid");
    given()
        .header("Authorization", "Bearer " + token)
        .contentType("application/json")
        .body(Map.of("name", "claim-job", "command", "true"))
        .post("/api/v1/jobs")
        .then()
        .statusCode(201)
        .body("tenant", org.hamcrest.Matchers.equalTo("tenant-c"));
  }

  private static String serviceAccountToken(String client) {
    return given()
        .formParams(
            Map.of(
                "grant_type",
                "client_credentials",
                "client_id",
                client,
                "client_secret",
                client + "-secret"))
        .post(KeycloakTestServer.get().tokenEndpoint())
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }
}
