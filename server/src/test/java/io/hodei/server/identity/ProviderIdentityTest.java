package io.hodei.server.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hodei.credentials.identity.KeycloakTestServer;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.server.credentials.CredentialHandles;
import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Provider instances' identities in the real Keycloak: a client with a service account per
 * instance, its tokens presented on every credential call, secret rotation without a gap, and the
 * client deleted with the instance.
 */
@QuarkusTest
@Tag("keycloak")
@WithTestResource(HodeiTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class ProviderIdentityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject CredentialHandles handles;
  @Inject ProviderIdentities identities;

  @Test
  void anInstanceGetsItsOwnClientAndReadsItsCredentialsWithItsToken() throws Exception {
    String instance = "kc-" + UUID.randomUUID().toString().substring(0, 8);
    String secretName = installationSecret();
    String clientId = "hodei-provider-" + instance;

    CredentialHandle handle =
        handles.forProviderInstance(instance, Map.of("registryCredentials", "local:" + secretName));
    try {
      assertThat(handle.get("local:" + secretName).field("password")).isEqualTo("one");

      JsonNode claims =
          claims(clientCredentials(clientId, clientSecret(clientId)).path("access_token"));
      assertThat(claims.path("azp").asText()).isEqualTo(clientId);
      assertThat(claims.path("tenant").asText()).isEqualTo("default");
      assertThat(JSON.convertValue(claims.path("aud"), Object.class).toString())
          .contains("hodei-broker");
      assertThat(claims.path("realm_access").path("roles").toString())
          .contains("provider-instance");
    } finally {
      handles.release(instance);
    }

    assertThat(findClient(clientId)).as("the instance's client after release").isEmpty();
  }

  @Test
  void rotatingTheClientSecretKeepsTheInstanceWorkingAndRetiresTheOldSecret() {
    String instance = "kc-" + UUID.randomUUID().toString().substring(0, 8);
    String secretName = installationSecret();
    String clientId = "hodei-provider-" + instance;
    CredentialHandle handle =
        handles.forProviderInstance(instance, Map.of("registryCredentials", "local:" + secretName));
    try {
      handle.get("local:" + secretName);
      String oldSecret = clientSecret(clientId);

      Api.asAdmin()
          .post("/api/v1/providers/" + instance + "/rotate-client-secret")
          .then()
          .statusCode(204);

      // The token in hand still works...
      assertThat(handle.get("local:" + secretName).field("password")).isEqualTo("one");
      // ...the old secret no longer gets new ones, and the instance renews with the new secret.
      given()
          .formParams(
              Map.of(
                  "grant_type", "client_credentials",
                  "client_id", clientId,
                  "client_secret", oldSecret))
          .post(KeycloakTestServer.get().tokenEndpoint())
          .then()
          .statusCode(401);
      assertThat(clientSecret(clientId)).isNotEqualTo(oldSecret);
      identities.tokenSource(instance).orElseThrow().renewSoon();
      assertThat(handle.get("local:" + secretName).field("password")).isEqualTo("one");
    } finally {
      handles.release(instance);
    }
  }

  @Test
  void rotatingAnUnknownInstanceIsNotFound() {
    Api.asAdmin()
        .post("/api/v1/providers/no-such-instance/rotate-client-secret")
        .then()
        .statusCode(404);
  }

  private static String installationSecret() {
    String name = "registry-" + UUID.randomUUID();
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("fields", Map.of("username", "ci", "password", "one")))
        .put("/api/v1/installation-secrets/" + name)
        .then()
        .statusCode(201);
    return name;
  }

  private static JsonNode clientCredentials(String clientId, String secret) throws Exception {
    String body =
        given()
            .formParams(
                Map.of(
                    "grant_type", "client_credentials",
                    "client_id", clientId,
                    "client_secret", secret))
            .post(KeycloakTestServer.get().tokenEndpoint())
            .then()
            .statusCode(200)
            .extract()
            .asString();
    return JSON.readTree(body);
  }

  private static JsonNode claims(JsonNode token) throws Exception {
    String payload = token.asText().split("\\.")[1];
    return JSON.readTree(Base64.getUrlDecoder().decode(payload));
  }

  private static String adminToken() {
    return given()
        .formParams(
            Map.of(
                "grant_type", "client_credentials",
                "client_id", "hodei-server",
                "client_secret", KeycloakTestResource.ADMIN_CLIENT_SECRET))
        .post(KeycloakTestServer.get().tokenEndpoint())
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  private static List<String> findClient(String clientId) {
    return given()
        .auth()
        .oauth2(adminToken())
        .queryParam("clientId", clientId)
        .get(KeycloakTestServer.get().baseUrl() + "/admin/realms/hodei/clients")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("id", String.class);
  }

  private static String clientSecret(String clientId) {
    String id = findClient(clientId).get(0);
    return given()
        .auth()
        .oauth2(adminToken())
        .get(
            KeycloakTestServer.get().baseUrl()
                + "/admin/realms/hodei/clients/"
                + id
                + "/client-secret")
        .then()
        .statusCode(200)
        .extract()
        .path("value");
  }
}
