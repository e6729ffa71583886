package io.hodei.server.identity;

import io.hodei.credentials.tenants.TenantName;
import io.hodei.server.security.Roles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Turns a realm token that {@code quarkus-oidc} verified into an API caller: its tenant from the
 * tenant claim ({@code hodei.keycloak.tenant-claim}), which must be a tenant name ({@link
 * TenantName}), and its roles from the realm roles {@code user}, {@code operator} and {@code
 * auditor} (others are dropped). A token without a valid tenant claim fails authentication, so it
 * is answered 401 before any endpoint runs. The admin token's identity is left as it is.
 */
@ApplicationScoped
public class ApiTokenCaller implements SecurityIdentityAugmentor {

  private static final Logger LOG = Logger.getLogger(ApiTokenCaller.class);

  private final String tenantClaim;

  public ApiTokenCaller(KeycloakConfig config) {
    this.tenantClaim = config.tenantClaim();
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
      return Uni.createFrom().item(identity);
    }
    String tenant = tenantOf(token);
    if (!TenantName.isValid(tenant)) {
      // Never the token itself; the claim is cut short and made printable.
      LOG.debugf(
          "Refused the token of %s: its '%s' claim is not a tenant name (%s): %s",
          token.getSubject(), tenantClaim, TenantName.RULE, TenantName.describe(tenant));
      return Uni.createFrom()
          .failure(
              new AuthenticationFailedException(
                  "the token's '" + tenantClaim + "' claim is not a tenant name"));
    }
    Set<String> roles =
        identity.getRoles().stream().filter(Roles.ALL::contains).collect(Collectors.toSet());
    return Uni.createFrom()
        .item(
            QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRoles(roles)
                .addAttribute(Roles.TENANT_ATTRIBUTE, tenant)
                .build());
  }

  /** The tenant claim when it is a single string; null when it is missing or anything else. */
  private String tenantOf(JsonWebToken token) {
    Object claim = token.getClaim(tenantClaim);
    if (claim instanceof String value) {
      return value;
    }
    if (claim instanceof JsonString value) {
      return value.getString();
    }
    return null;
  }
}
