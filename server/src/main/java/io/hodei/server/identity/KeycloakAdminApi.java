package io.hodei.server.identity;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

/**
 * The few calls of Keycloak's admin REST API that provider identities need, through Keycloak's own
 * admin client, signed in as the server's service-account client (its token manager obtains and
 * renews that client's tokens). Blocking; call it off the event loop.
 */
final class KeycloakAdminApi implements AutoCloseable {

  private static final long CONNECT_TIMEOUT_SECONDS = 5;
  private static final long READ_TIMEOUT_SECONDS = 15;

  private final String serverUrl;
  private final Keycloak keycloak;
  private final RealmResource realm;

  KeycloakAdminApi(String serverUrl, String realm, String adminClientId, String adminSecret) {
    this.serverUrl = serverUrl;
    this.keycloak =
        KeycloakBuilder.builder()
            .serverUrl(serverUrl)
            .realm(realm)
            .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
            .clientId(adminClientId)
            .clientSecret(adminSecret)
            .resteasyClient(
                new ResteasyClientBuilderImpl()
                    .connectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .readTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .connectionPoolSize(4)
                    .build())
            .build();
    this.realm = keycloak.realm(realm);
  }

  /** The internal id of the client named {@code clientId}, if it exists. */
  Optional<String> findClient(String clientId) {
    return call(
        "find client " + clientId,
        () ->
            realm.clients().findByClientId(clientId).stream()
                .filter(client -> clientId.equals(client.getClientId()))
                .map(ClientRepresentation::getId)
                .findFirst());
  }

  /** Creates the client and returns its internal id. */
  String createClient(ClientRepresentation client) {
    return call(
        "create client " + client.getClientId(),
        () -> {
          try (Response created = realm.clients().create(client)) {
            if (created.getStatus() != Response.Status.CREATED.getStatusCode()) {
              throw new KeycloakException(
                  created.getStatus(),
                  "creating client "
                      + client.getClientId()
                      + " answered HTTP "
                      + created.getStatus()
                      + " "
                      + summary(created));
            }
            return CreatedResponseUtil.getCreatedId(created);
          }
        });
  }

  String secret(String id) {
    return call("read a client secret", () -> realm.clients().get(id).getSecret().getValue());
  }

  /** Gives the client a new secret; the old one stops working at once. */
  String regenerateSecret(String id) {
    return call(
        "regenerate a client secret", () -> realm.clients().get(id).generateNewSecret().getValue());
  }

  void deleteClient(String id) {
    call(
        "delete a client",
        () -> {
          realm.clients().get(id).remove();
          return null;
        });
  }

  /** Gives the client's service account the realm role, when the realm defines it. */
  boolean grantRealmRole(String id, String role) {
    return call(
        "grant realm role " + role,
        () -> {
          RoleRepresentation found;
          try {
            found = realm.roles().get(role).toRepresentation();
          } catch (NotFoundException e) {
            return false;
          }
          String user = realm.clients().get(id).getServiceAccountUser().getId();
          realm.users().get(user).roles().realmLevel().add(List.of(found));
          return true;
        });
  }

  @Override
  public void close() {
    keycloak.close();
  }

  // The admin client's own exceptions carry no message worth showing; these say which call failed.
  private <T> T call(String what, Supplier<T> request) {
    try {
      return request.get();
    } catch (KeycloakException e) {
      throw e;
    } catch (WebApplicationException e) {
      int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
      throw new KeycloakException(
          status,
          "Keycloak refused to " + what + ": HTTP " + status + " " + summary(e.getResponse()));
    } catch (ProcessingException e) {
      throw new KeycloakException("cannot reach Keycloak at " + serverUrl + " to " + what);
    }
  }

  // Error bodies name the problem (e.g. a duplicate client); secrets only travel in 2xx answers.
  private static String summary(Response response) {
    if (response == null || !response.hasEntity()) {
      return "";
    }
    try {
      String body = response.readEntity(String.class);
      return body.length() > 200 ? body.substring(0, 200) : body;
    } catch (RuntimeException e) {
      return "";
    }
  }
}
