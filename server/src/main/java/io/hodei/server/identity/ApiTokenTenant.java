package io.hodei.server.identity;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * How {@code quarkus-oidc} verifies the realm's access tokens presented to the API, derived from
 * {@code hodei.keycloak.*} so that one setting turns Keycloak on for the API and for provider
 * identities alike. Without a server URL there is no tenant here and the extension's own default
 * tenant is off ({@code quarkus.oidc.tenant-enabled=false}): only the admin token authenticates.
 *
 * <p>A token is accepted when it is signed by one of the realm's published keys, issued by the
 * realm, meant for {@code hodei.keycloak.api-audience}, current (30 s of clock skew) and an access
 * token: Keycloak marks those {@code "typ": "Bearer"}, its ID tokens {@code "ID"} and its refresh
 * tokens {@code "Refresh"}. The tenant claim is checked by {@link ApiTokenCaller}.
 */
@ApplicationScoped
public class ApiTokenTenant implements TenantConfigResolver {

  /** The tenant id of the API's tokens inside {@code quarkus-oidc}. */
  static final String TENANT_ID = "hodei-api";

  /** Keycloak's token type claim, and its value in access tokens. */
  static final String TYPE_CLAIM = "typ";

  static final String ACCESS_TOKEN_TYPE = "Bearer";

  static final int CLOCK_SKEW_SECONDS = 30;

  private final Optional<OidcTenantConfig> tenant;

  public ApiTokenTenant(KeycloakConfig config) {
    this.tenant = config.serverUrl().map(url -> tenantFor(url, config));
  }

  /** Whether the API accepts the realm's tokens. */
  public boolean enabled() {
    return tenant.isPresent();
  }

  @Override
  public Uni<OidcTenantConfig> resolve(
      RoutingContext context, OidcRequestContext<OidcTenantConfig> requestContext) {
    // The same config every time: quarkus-oidc keeps one verifier (and key cache) per tenant id.
    return Uni.createFrom().item(tenant.orElse(null));
  }

  private static OidcTenantConfig tenantFor(String serverUrl, KeycloakConfig config) {
    String base =
        serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
    return OidcTenantConfig.authServerUrl(base + "/realms/" + config.realm())
        .tenantId(TENANT_ID)
        .applicationType(ApplicationType.SERVICE)
        .token()
        .audience(config.apiAudience())
        .tokenType(ACCESS_TOKEN_TYPE)
        // Unlike the token type check alone, this also refuses a token without a type.
        .requiredClaims(TYPE_CLAIM, ACCESS_TOKEN_TYPE)
        .lifespanGrace(CLOCK_SKEW_SECONDS)
        .subjectRequired()
        .principalClaim("sub")
        .end()
        // Realm roles only; client roles and groups never become Hodei roles.
        .roles()
        .roleClaimPath("realm_access/roles")
        .end()
        .build();
  }
}
