package io.hodei.server.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Accepts the installation's admin token as an identity with every role, in the default tenant. */
@ApplicationScoped
public class AdminTokenIdentityProvider implements IdentityProvider<AdminTokenRequest> {

  private final AdminToken adminToken;

  public AdminTokenIdentityProvider(AdminToken adminToken) {
    this.adminToken = adminToken;
  }

  @Override
  public Class<AdminTokenRequest> getRequestType() {
    return AdminTokenRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      AdminTokenRequest request, AuthenticationRequestContext context) {
    if (!adminToken.matches(request.token())) {
      // Never echo the presented token.
      return Uni.createFrom().failure(new AuthenticationFailedException("invalid API token"));
    }
    return Uni.createFrom()
        .item(
            QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("admin"))
                .addRoles(Roles.ALL)
                .addAttribute(Roles.TENANT_ATTRIBUTE, Roles.DEFAULT_TENANT)
                .build());
  }
}
