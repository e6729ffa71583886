package io.hodei.server.credentials;

import io.hodei.server.api.Caller;
import io.hodei.server.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The installation's own secrets in the embedded store, such as those provider instances name in
 * their configuration ({@code local:<name>}). Operators only; values are write-only.
 */
@Path("/api/v1/installation-secrets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class InstallationSecretsResource extends SecretEndpoints {

  private final Caller caller;

  public InstallationSecretsResource(SecretsApi secrets, Caller caller) {
    super(secrets);
    this.caller = caller;
  }

  @Override
  SecretsApi.Scope scope() {
    return new SecretsApi.Scope("", caller.name(), caller.tenant());
  }
}
