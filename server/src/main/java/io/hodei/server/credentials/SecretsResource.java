package io.hodei.server.credentials;

import io.hodei.server.api.Caller;
import io.hodei.server.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The caller's tenant's secrets in the embedded store, referenced by its jobs as {@code
 * local:tenants/<tenant>/<name>}. Values are write-only.
 */
@Path("/api/v1/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.USER, Roles.OPERATOR})
public class SecretsResource extends SecretEndpoints {

  private final Caller caller;

  public SecretsResource(SecretsApi secrets, Caller caller) {
    super(secrets);
    this.caller = caller;
  }

  @Override
  SecretsApi.Scope scope() {
    return new SecretsApi.Scope("tenants/" + caller.tenant() + "/", caller.name(), caller.tenant());
  }
}
