package io.hodei.server.identity;

import io.hodei.credentials.identity.IdentitySettings;
import io.hodei.credentials.identity.InvalidTokenException;
import io.hodei.credentials.identity.TokenVerifier;
import io.hodei.credentials.identity.VerifiedToken;
import io.hodei.server.security.Roles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a Keycloak access token presented to the API into a caller: verified (signature by the
 * realm's published keys, issuer, audience {@code hodei.keycloak.api-audience}, expiry), with its
 * tenant from the tenant claim and its Hodei roles from the realm roles. Off without Keycloak.
 */
@ApplicationScoped
public class ApiTokens {

  private final Optional<TokenVerifier> verifier;

  public ApiTokens(KeycloakConfig config, Clock clock) {
    this.verifier =
        config
            .serverUrl()
            .map(
                url ->
                    new TokenVerifier(
                        IdentitySettings.keycloak(url, config.realm(), config.apiAudience())
                            .withTenantClaim(config.tenantClaim()),
                        clock));
  }

  public boolean enabled() {
    return verifier.isPresent();
  }

  /**
   * The caller behind {@code token}. Blocks while the realm's keys are fetched (first use, unknown
   * key id), so call it off the event loop.
   *
   * @throws AuthenticationFailedException saying why, never quoting the token
   */
  public SecurityIdentity authenticate(String token) {
    TokenVerifier tokens =
        verifier.orElseThrow(() -> new AuthenticationFailedException("invalid API token"));
    VerifiedToken verified;
    try {
      verified = tokens.verify(token);
    } catch (InvalidTokenException e) {
      throw new AuthenticationFailedException("token refused: " + e.getMessage());
    }
    Set<String> roles =
        verified.roles().stream().filter(Roles.ALL::contains).collect(Collectors.toSet());
    return QuarkusSecurityIdentity.builder()
        .setPrincipal(new QuarkusPrincipal(verified.subject()))
        .addRoles(roles)
        .addAttribute(Roles.TENANT_ATTRIBUTE, verified.tenant())
        .build();
  }
}
