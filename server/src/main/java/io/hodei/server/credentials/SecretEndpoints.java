package io.hodei.server.credentials;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The endpoints of one part of the embedded store; subclasses say which part and who may. */
abstract class SecretEndpoints {

  private final SecretsApi secrets;

  SecretEndpoints(SecretsApi secrets) {
    this.secrets = secrets;
  }

  /** The caller and the part of the store this resource serves. */
  abstract SecretsApi.Scope scope();

  @GET
  public List<SecretsApi.SecretView> list() {
    return secrets.list(scope());
  }

  @GET
  @Path("{name: .+}")
  public SecretsApi.SecretView get(@PathParam("name") String name) {
    return secrets.get(scope(), name);
  }

  /** Creates the secret (201) or stores a new version of it (200). */
  @PUT
  @Path("{name: .+}")
  public Response put(@PathParam("name") String name, SecretsApi.SecretWrite body) {
    SecretsApi.Scope scope = scope();
    boolean created = secrets.write(scope, name, body);
    return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
        .entity(secrets.get(scope, name))
        .build();
  }

  @DELETE
  @Path("{name: .+}")
  public Response delete(@PathParam("name") String name) {
    secrets.delete(scope(), name);
    return Response.noContent().build();
  }
}
