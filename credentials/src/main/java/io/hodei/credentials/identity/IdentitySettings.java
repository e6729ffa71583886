package io.hodei.credentials.identity;

import java.net.URI;
import java.time.Duration;

/**
 * What a {@link TokenVerifier} expects of a token: who issued it, for whom, and how callers are
 * read from it.
 *
 * @param issuer the exact {@code iss} of accepted tokens, e.g. {@code
 *     https://sso.example.com/realms/hodei}
 * @param jwksUri where the issuer publishes its signing keys
 * @param audience a value the token's {@code aud} must contain, e.g. {@code hodei-broker}
 * @param tenantClaim the claim naming the caller's tenant
 * @param clientIdPrefix the prefix of provider instances' client ids; the rest is the instance name
 * @param clockSkew how far clocks may disagree when checking {@code exp} and {@code nbf}
 * @param jwksCacheTtl how long fetched keys are trusted before they are fetched again (an unknown
 *     key id fetches them sooner)
 */
public record IdentitySettings(
    String issuer,
    URI jwksUri,
    String audience,
    String tenantClaim,
    String clientIdPrefix,
    Duration clockSkew,
    Duration jwksCacheTtl) {

  public static final String DEFAULT_TENANT_CLAIM = "tenant";
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
  public static final Duration DEFAULT_JWKS_CACHE_TTL = Duration.ofMinutes(10);

  public IdentitySettings {
    require("issuer", issuer);
    require("audience", audience);
    require("tenantClaim", tenantClaim);
    if (jwksUri == null) {
      throw new IllegalArgumentException("identity settings need the issuer's JWKS address");
    }
    if (clientIdPrefix == null) {
      clientIdPrefix = "";
    }
    if (clockSkew == null
        || clockSkew.isNegative()
        || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("clockSkew is between 0 and 5 minutes: " + clockSkew);
    }
    if (jwksCacheTtl == null || jwksCacheTtl.isNegative() || jwksCacheTtl.isZero()) {
      throw new IllegalArgumentException("jwksCacheTtl must be positive: " + jwksCacheTtl);
    }
  }

  /**
   * Settings for a Keycloak realm: its issuer is {@code <server>/realms/<realm>} and its keys are
   * published under {@code /protocol/openid-connect/certs}; default claim, skew and cache.
   */
  public static IdentitySettings keycloak(String serverUrl, String realm, String audience) {
    String issuer = stripSlash(serverUrl) + "/realms/" + realm;
    return new IdentitySettings(
        issuer,
        URI.create(issuer + "/protocol/openid-connect/certs"),
        audience,
        DEFAULT_TENANT_CLAIM,
        "",
        DEFAULT_CLOCK_SKEW,
        DEFAULT_JWKS_CACHE_TTL);
  }

  /** These settings expecting another issuer. */
  public IdentitySettings withIssuer(String otherIssuer) {
    return new IdentitySettings(
        otherIssuer, jwksUri, audience, tenantClaim, clientIdPrefix, clockSkew, jwksCacheTtl);
  }

  /** These settings expecting another audience. */
  public IdentitySettings withAudience(String otherAudience) {
    return new IdentitySettings(
        issuer, jwksUri, otherAudience, tenantClaim, clientIdPrefix, clockSkew, jwksCacheTtl);
  }

  /** These settings reading the tenant from another claim. */
  public IdentitySettings withTenantClaim(String claim) {
    return new IdentitySettings(
        issuer, jwksUri, audience, claim, clientIdPrefix, clockSkew, jwksCacheTtl);
  }

  /** These settings with provider instances' client ids starting with {@code prefix}. */
  public IdentitySettings withClientIdPrefix(String prefix) {
    return new IdentitySettings(
        issuer, jwksUri, audience, tenantClaim, prefix, clockSkew, jwksCacheTtl);
  }

  private static String stripSlash(String url) {
    require("serverUrl", url);
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static void require(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("identity settings need " + what);
    }
  }
}
