package io.hodei.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hodei.credentials.identity.ClientCredentialsTokenSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few calls of Keycloak's admin REST API that provider identities need, made as the server's
 * own service-account client. Blocking; call it off the event loop.
 */
final class KeycloakAdminApi {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final String realmUrl;
  private final ClientCredentialsTokenSource adminToken;
  private final HttpClient http;
  private final ObjectMapper json;

  KeycloakAdminApi(
      String serverUrl,
      String realm,
      String adminClientId,
      String adminSecret,
      HttpClient http,
      ObjectMapper json,
      Clock clock) {
    String base =
        serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
    this.realmUrl = base + "/admin/realms/" + realm;
    this.adminToken =
        new ClientCredentialsTokenSource(
            URI.create(base + "/realms/" + realm + "/protocol/openid-connect/token"),
            adminClientId,
            adminSecret,
            clock,
            http);
    this.http = http;
    this.json = json;
  }

  /** The internal id of the client named {@code clientId}, if it exists. */
  Optional<String> findClient(String clientId) {
    JsonNode found =
        send(
            "GET",
            "/clients?clientId=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8),
            null);
    for (JsonNode client : found) {
      if (clientId.equals(client.path("clientId").asText())) {
        return Optional.of(client.path("id").asText());
      }
    }
    return Optional.empty();
  }

  /** Creates a client from its representation and returns its internal id. */
  String createClient(Map<String, Object> representation) {
    send("POST", "/clients", representation);
    String clientId = (String) representation.get("clientId");
    return findClient(clientId)
        .orElseThrow(
            () -> new KeycloakException("client " + clientId + " vanished after creation"));
  }

  String secret(String id) {
    return send("GET", "/clients/" + id + "/client-secret", null).path("value").asText();
  }

  /** Gives the client a new secret; the old one stops working at once. */
  String regenerateSecret(String id) {
    return send("POST", "/clients/" + id + "/client-secret", null).path("value").asText();
  }

  void deleteClient(String id) {
    send("DELETE", "/clients/" + id, null);
  }

  /** Gives the client's service account the realm role, when the realm defines it. */
  boolean grantRealmRole(String id, String role) {
    JsonNode roleNode;
    try {
      roleNode = send("GET", "/roles/" + URLEncoder.encode(role, StandardCharsets.UTF_8), null);
    } catch (KeycloakException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
    String user = send("GET", "/clients/" + id + "/service-account-user", null).path("id").asText();
    send("POST", "/users/" + user + "/role-mappings/realm", List.of(roleNode));
    return true;
  }

  private JsonNode send(String method, String path, Object body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(realmUrl + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + adminToken.token())
            .header("Accept", "application/json");
    try {
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new KeycloakException(
            response.statusCode(),
            method
                + " "
                + path
                + " answered HTTP "
                + response.statusCode()
                + " "
                + summary(response));
      }
      return response.body().isBlank() ? json.nullNode() : json.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach Keycloak at " + realmUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeycloakException("interrupted while calling Keycloak");
    }
  }

  // Error bodies name the problem (e.g. a duplicate client); secrets only travel in 2xx answers.
  private static String summary(HttpResponse<String> response) {
    String body = response.body();
    return body.length() > 200 ? body.substring(0, 200) : body;
  }
}
