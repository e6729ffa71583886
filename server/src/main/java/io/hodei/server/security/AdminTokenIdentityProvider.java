package io.hodei.server.security;

import io.hodei.server.identity.ApiTokens;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Accepts the installation's admin token as an identity with every role, in the default tenant;
 * and, when Keycloak is configured, the realm's access tokens (see {@link ApiTokens}).
 */
@ApplicationScoped
public class AdminTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

  private final AdminToken adminToken;
  private final ApiTokens keycloakTokens;

  public AdminTokenIdentityProvider(AdminToken adminToken, ApiTokens keycloakTokens) {
    this.adminToken = adminToken;
    this.keycloakTokens = keycloakTokens;
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    String token = request.getToken().getToken();
    if (!adminToken.matches(token)) {
      if (keycloakTokens.enabled()) {
        // Verification may fetch the realm's keys: not on the event loop.
        return context.runBlocking(() -> keycloakTokens.authenticate(token));
      }
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
