package io.hodei.credentials.identity;

/**
 * A caller's token was refused. The message says why and never contains the token; {@link
 * #reason()} lets callers answer 401 (fix the token) or 503 (the issuer's keys are unreachable).
 */
public final class InvalidTokenException extends RuntimeException {

  /** Why a token was refused. */
  public enum Reason {
    MALFORMED,
    BAD_SIGNATURE,
    EXPIRED,
    NOT_YET_VALID,
    WRONG_ISSUER,
    WRONG_AUDIENCE,
    MISSING_CLAIM,
    /** The tenant claim is not a tenant name ({@link io.hodei.credentials.tenants.TenantName}). */
    INVALID_TENANT,
    /** The identity provider (its keys, its token endpoint) is unreachable: retry later. */
    UNAVAILABLE
  }

  private final Reason reason;

  public InvalidTokenException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public InvalidTokenException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
