package io.hodei.plugin.api;

/** The one exception a provider throws; its code tells the host what to do next. */
public class ProviderException extends RuntimeException {

  /** What went wrong, and whether trying again can help. */
  public enum ErrorCode {
    /** The provider instance's configuration is wrong; fix it and re-initialize. */
    INVALID_CONFIGURATION(false),
    /** The spec is malformed for this provider (e.g. an image it cannot run). */
    INVALID_SPEC(false),
    /** The spec asks for more than this provider can ever offer. */
    RESOURCES_UNAVAILABLE(false),
    /** The provider is full right now; later may work. */
    CAPACITY_EXHAUSTED(true),
    /** The backend asked us to slow down. */
    THROTTLED(true),
    /** The backend is unreachable or answered with a server error. */
    UNAVAILABLE(true),
    /** The backend did not answer in time. */
    TIMEOUT(true),
    /** The backend refused the credentials; the host may fetch fresh ones once. */
    AUTHENTICATION(false),
    /** The credentials are valid but lack a permission. */
    PERMISSION_DENIED(false),
    /** A bug or an unexpected answer. */
    INTERNAL(false);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
      this.retryable = retryable;
    }

    /** Whether the same call may succeed if tried again later. */
    public boolean retryable() {
      return retryable;
    }
  }

  private final ErrorCode code;

  public ProviderException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public ProviderException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    if (code == null) {
      throw new IllegalArgumentException("an error code is required");
    }
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return code.retryable();
  }

  @Override
  public String toString() {
    return "ProviderException[" + code + "]: " + getMessage();
  }
}
