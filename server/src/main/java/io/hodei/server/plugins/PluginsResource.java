package io.hodei.server.plugins;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/v1/plugins}: every plugin the host knows, with its state and any failure. */
@Path("/api/v1/plugins")
@jakarta.annotation.security.RolesAllowed(io.hodei.server.security.Roles.OPERATOR)
public class PluginsResource {

  private final PluginHost host;

  public PluginsResource(PluginHost host) {
    this.host = host;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public List<PluginInfo> list() {
    return host.plugins();
  }
}
