package io.hodei.server.api;

import io.hodei.server.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/** Who is calling the API, and in which tenant. */
@RequestScoped
public class Caller {

  private final SecurityIdentity identity;

  public Caller(SecurityIdentity identity) {
    this.identity = identity;
  }

  public String tenant() {
    String tenant = identity.getAttribute(Roles.TENANT_ATTRIBUTE);
    return tenant == null ? Roles.DEFAULT_TENANT : tenant;
  }

  public boolean hasRole(String role) {
    return identity.hasRole(role);
  }

  public String name() {
    return identity.getPrincipal().getName();
  }
}
