package io.hodei.server.identity;

import io.hodei.server.api.ApiException;
import io.hodei.server.api.Echo;
import io.hodei.server.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Rotates a provider instance's Keycloak client secret. Blocking (a plain return type runs on a
 * worker thread). The new secret never leaves the server.
 */
@Path("/api/v1/providers/{name}/rotate-client-secret")
@RolesAllowed(Roles.OPERATOR)
public class ProviderClientSecretResource {

  private final ProviderIdentities identities;

  public ProviderClientSecretResource(ProviderIdentities identities) {
    this.identities = identities;
  }

  @POST
  public Response rotate(@PathParam("name") String name) {
    if (!identities.enabled()) {
      throw ApiException.conflict(
          "provider instances have no client secrets without Keycloak: set hodei.keycloak.server-url");
    }
    if (!identities.rotateSecret(name)) {
      throw ApiException.notFound(
          "provider instance "
              + Echo.of(name)
              + " has no Keycloak client on this server: it is not open");
    }
    return Response.noContent().build();
  }
}
