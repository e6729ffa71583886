package io.hodei.credentials;

/** A secret backend's failure, with what the broker should do about it. */
public class BackendException extends RuntimeException {

  /** What went wrong. */
  public enum Kind {
    /** No secret at that path. */
    NOT_FOUND(false),
    /** The backend refused the broker's own credentials (login failed, token expired). */
    UNAUTHENTICATED(false),
    /** The broker may not read that path. */
    DENIED(false),
    /** A lease is past its maximum; read a new value instead of renewing. */
    LEASE_EXPIRED(false),
    /** The backend asked us to slow down. */
    THROTTLED(true),
    /** Unreachable, or a server error. */
    UNAVAILABLE(true),
    /** No answer in time. */
    TIMEOUT(true),
    /** The request or the answer made no sense. */
    INVALID(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;

  public BackendException(Kind kind, String message) {
    this(kind, message, null);
  }

  public BackendException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind.retryable();
  }
}
