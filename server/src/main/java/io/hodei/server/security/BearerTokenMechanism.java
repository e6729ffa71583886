package io.hodei.server.security;

import io.hodei.server.identity.ApiTokenTenant;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <token>} and takes the admin token. Any other token is left to
 * {@code quarkus-oidc}'s bearer mechanism when Keycloak is configured ({@link ApiTokenTenant}),
 * which runs next because this mechanism's priority is higher; without Keycloak it is refused.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

  /** Above quarkus-oidc's mechanism (the default priority plus one), so the admin token wins. */
  static final int PRIORITY = DEFAULT_PRIORITY + 2;

  private static final String PREFIX = "bearer ";

  private final AdminToken adminToken;
  private final ApiTokenTenant keycloakTokens;

  public BearerTokenMechanism(AdminToken adminToken, ApiTokenTenant keycloakTokens) {
    this.adminToken = adminToken;
    this.keycloakTokens = keycloakTokens;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String header = context.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Uni.createFrom().optional(Optional.empty());
    }
    String token = header.substring(PREFIX.length()).trim();
    if (adminToken.matches(token)) {
      return identityProviderManager.authenticate(
          HttpSecurityUtils.setRoutingContextAttribute(new AdminTokenRequest(token), context));
    }
    if (keycloakTokens.enabled()) {
      // Not the admin token: quarkus-oidc verifies it as a realm token.
      return Uni.createFrom().optional(Optional.empty());
    }
    // Never echo the presented token.
    return Uni.createFrom().failure(new AuthenticationFailedException("invalid API token"));
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(AdminTokenRequest.class);
  }

  @Override
  public int getPriority() {
    return PRIORITY;
  }
}
