package io.hodei.credentials.vault;

import io.github.jopenlibs.vault.VaultException;
import io.hodei.credentials.BackendException;
import io.hodei.credentials.BackendException.Kind;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;

/**
 * Maps Vault's answers to {@link Kind}s. Messages name the operation and the status, never the
 * response body, which could echo request data.
 */
final class VaultErrors {

  private VaultErrors() {}

  /** The kind for an HTTP status Vault answered with. */
  static Kind kindOf(int status) {
    return switch (status) {
      case 400, 405 -> Kind.INVALID;
      case 401 -> Kind.UNAUTHENTICATED;
      case 403 -> Kind.DENIED;
      case 404 -> Kind.NOT_FOUND;
      case 429 -> Kind.THROTTLED;
      // 412: a performance standby has not caught up; 473: a standby cannot serve the request.
      case 412, 473 -> Kind.UNAVAILABLE;
      default -> status >= 500 ? Kind.UNAVAILABLE : Kind.INVALID;
    };
  }

  static BackendException status(int status, String operation) {
    Kind kind = kindOf(status);
    return new BackendException(kind, operation + ": Vault answered HTTP " + status + hint(kind));
  }

  /** A driver failure: an HTTP status when Vault answered, otherwise an I/O problem. */
  static BackendException of(VaultException e, String operation) {
    if (e.getHttpStatusCode() > 0) {
      Kind kind = kindOf(e.getHttpStatusCode());
      return new BackendException(
          kind, operation + ": Vault answered HTTP " + e.getHttpStatusCode() + hint(kind), e);
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
        return new BackendException(
            Kind.TIMEOUT,
            operation + ": Vault did not answer in time; check its health or raise readTimeout",
            e);
      }
      if (cause instanceof ConnectException) {
        return new BackendException(
            Kind.UNAVAILABLE, operation + ": cannot connect to Vault; check the address", e);
      }
    }
    return new BackendException(
        Kind.UNAVAILABLE,
        operation + ": the connection to Vault failed (" + e.getClass().getSimpleName() + ")",
        e);
  }

  private static String hint(Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> "; check the path, mount and version";
      case DENIED -> "; grant the broker's Vault policy read access to this path";
      case UNAUTHENTICATED -> "; check the broker's Vault login (role, secret id or token)";
      case THROTTLED -> "; Vault's rate limit was reached, retry later";
      case UNAVAILABLE -> "; Vault is sealed, on standby or failing, retry later";
      case INVALID -> "; the request was refused as malformed";
      default -> "";
    };
  }
}
