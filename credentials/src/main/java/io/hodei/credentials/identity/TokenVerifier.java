package io.hodei.credentials.identity;

import io.hodei.credentials.identity.InvalidTokenException.Reason;
import io.hodei.credentials.policy.Caller;
import io.hodei.credentials.tenants.TenantName;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Checks the JWTs that callers present to the broker: signature against the issuer's keys (fetched
 * once and cached, fetched again for an unknown key id), issuer, audience, and expiry with a small
 * clock skew. Thread-safe; one instance per issuer.
 */
public final class TokenVerifier {

  /** Asymmetric algorithms only: no {@code none}, no HMAC with a guessable key. */
  private static final AlgorithmConstraints SIGNATURES =
      new AlgorithmConstraints(
          AlgorithmConstraints.ConstraintType.PERMIT,
          AlgorithmIdentifiers.RSA_USING_SHA256,
          AlgorithmIdentifiers.RSA_USING_SHA384,
          AlgorithmIdentifiers.RSA_USING_SHA512,
          AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
          AlgorithmIdentifiers.RSA_PSS_USING_SHA384,
          AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
          AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
          AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
          AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512,
          AlgorithmIdentifiers.EDDSA);

  private final IdentitySettings settings;
  private final Clock clock;
  private final HttpsJwksVerificationKeyResolver keys;

  public TokenVerifier(IdentitySettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    HttpsJwks jwks = new HttpsJwks(settings.jwksUri().toString());
    jwks.setDefaultCacheDuration(settings.jwksCacheTtl().toSeconds());
    // Keep serving the last keys for a while if the issuer is briefly unreachable.
    jwks.setRetainCacheOnErrorDuration(settings.jwksCacheTtl().toSeconds());
    this.keys = new HttpsJwksVerificationKeyResolver(jwks);
  }

  public IdentitySettings settings() {
    return settings;
  }

  /** The provider instance presenting {@code token}; see {@link #verify}. */
  public Caller providerInstance(String token) {
    return verify(token).providerInstance(settings.clientIdPrefix());
  }

  /**
   * What {@code token} says about its holder, once it is shown to be genuine, meant for us and
   * current.
   *
   * @throws InvalidTokenException saying why it was refused
   */
  public VerifiedToken verify(String token) {
    if (token == null || token.isBlank()) {
      throw new InvalidTokenException(Reason.MALFORMED, "no token was presented");
    }
    JwtConsumer consumer =
        new JwtConsumerBuilder()
            .setVerificationKeyResolver(keys)
            .setJwsAlgorithmConstraints(SIGNATURES)
            .setRequireExpirationTime()
            .setRequireSubject()
            .setAllowedClockSkewInSeconds((int) settings.clockSkew().toSeconds())
            .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
            .setExpectedIssuer(settings.issuer())
            .setExpectedAudience(settings.audience())
            .build();
    JwtClaims claims;
    try {
      claims = consumer.processToClaims(token.trim());
    } catch (InvalidJwtException e) {
      throw refusal(e);
    }
    return toVerified(claims);
  }

  private VerifiedToken toVerified(JwtClaims claims) {
    try {
      String clientId = claims.getStringClaimValue("azp");
      if (clientId == null) {
        clientId = claims.getStringClaimValue("client_id");
      }
      String tenant = claims.getStringClaimValue(settings.tenantClaim());
      if (clientId == null || clientId.isBlank()) {
        throw new InvalidTokenException(
            Reason.MISSING_CLAIM, "the token names no client (claims 'azp' and 'client_id')");
      }
      if (tenant == null || tenant.isBlank()) {
        throw new InvalidTokenException(
            Reason.MISSING_CLAIM,
            "the token of client '"
                + clientId
                + "' has no '"
                + settings.tenantClaim()
                + "' claim: add a mapper for it to the client in the identity provider");
      }
      if (!TenantName.isValid(tenant)) {
        // Refused here, before the tenant reaches a namespace or a reference pattern.
        throw new InvalidTokenException(
            Reason.INVALID_TENANT,
            "the token's '"
                + settings.tenantClaim()
                + "' claim is not a tenant name: a tenant name is "
                + TenantName.RULE);
      }
      return new VerifiedToken(
          claims.getSubject(),
          clientId,
          tenant,
          realmRoles(claims),
          Instant.ofEpochMilli(claims.getExpirationTime().getValueInMillis()));
    } catch (MalformedClaimException e) {
      throw new InvalidTokenException(
          Reason.MALFORMED, "a claim has the wrong type: " + e.getMessage());
    }
  }

  private static Set<String> realmRoles(JwtClaims claims) {
    Object access = claims.getClaimValue("realm_access");
    if (access instanceof Map<?, ?> map && map.get("roles") instanceof Collection<?> roles) {
      return roles.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
    }
    return Set.of();
  }

  // jose4j's own messages quote the claims; these say what was wrong without the token.
  private InvalidTokenException refusal(InvalidJwtException e) {
    if (hasCause(e, UnresolvableKeyException.class)) {
      // The resolver wraps a failed JWKS fetch; without one, no published key fits the token.
      if (hasCause(e, IOException.class)) {
        return new InvalidTokenException(
            Reason.UNAVAILABLE,
            "cannot fetch the signing keys of "
                + settings.issuer()
                + " from "
                + settings.jwksUri()
                + "; retry when the identity provider is reachable",
            // Only the I/O failure: jose4j's own exception quotes the token.
            firstCause(e, IOException.class));
      }
      return new InvalidTokenException(
          Reason.BAD_SIGNATURE,
          "the token is not signed by any key that " + settings.issuer() + " publishes");
    }
    if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
      return new InvalidTokenException(
          Reason.BAD_SIGNATURE,
          "the token's signature does not verify with " + settings.issuer() + "'s key");
    }
    JwtClaims claims = e.getJwtContext() == null ? null : e.getJwtContext().getJwtClaims();
    if (e.hasExpired()) {
      return new InvalidTokenException(
          Reason.EXPIRED,
          "the token expired at "
              + expiry(claims)
              + " (now "
              + clock.instant()
              + ", allowed clock skew "
              + settings.clockSkew().toSeconds()
              + " s): get a new one");
    }
    if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
      return new InvalidTokenException(
          Reason.NOT_YET_VALID,
          "the token is not valid yet: check the clocks of issuer and caller");
    }
    if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
      return new InvalidTokenException(
          Reason.WRONG_ISSUER,
          "the token was issued by "
              + quoted(claims == null ? null : issuer(claims))
              + ", not by "
              + settings.issuer());
    }
    if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID)
        || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
      return new InvalidTokenException(
          Reason.WRONG_AUDIENCE,
          "the token is meant for "
              + audiences(claims)
              + ", not for '"
              + settings.audience()
              + "': give the client an audience mapper for it");
    }
    if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)
        || e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
      return new InvalidTokenException(
          Reason.MISSING_CLAIM, "the token lacks an expiry or a subject");
    }
    return new InvalidTokenException(Reason.MALFORMED, "the token is not a valid signed JWT");
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    return firstCause(e, type) != null;
  }

  private static Throwable firstCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }

  private static String expiry(JwtClaims claims) {
    try {
      return claims == null || claims.getExpirationTime() == null
          ? "an unknown time"
          : Instant.ofEpochSecond(claims.getExpirationTime().getValue()).toString();
    } catch (MalformedClaimException e) {
      return "an unreadable time";
    }
  }

  private static String issuer(JwtClaims claims) {
    try {
      return claims.getIssuer();
    } catch (MalformedClaimException e) {
      return null;
    }
  }

  private static String audiences(JwtClaims claims) {
    try {
      List<String> audience = claims == null ? List.of() : claims.getAudience();
      return audience.isEmpty() ? "no audience" : audience.toString();
    } catch (MalformedClaimException e) {
      return "an unreadable audience";
    }
  }

  private static String quoted(String value) {
    return value == null ? "no issuer" : "'" + value + "'";
  }
}
