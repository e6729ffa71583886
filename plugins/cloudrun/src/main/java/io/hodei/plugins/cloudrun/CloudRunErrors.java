package io.hodei.plugins.cloudrun;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Translates the Google client's failures into {@link ProviderException}s whose codes tell the host
 * what to do. The HTTP/JSON transport maps HTTP statuses to canonical codes: 429 is {@code
 * RESOURCE_EXHAUSTED}, 503 {@code UNAVAILABLE}, 504 and read timeouts {@code DEADLINE_EXCEEDED}.
 */
final class CloudRunErrors {

  private CloudRunErrors() {}

  /** Whether the failure is Cloud Run refusing the credentials (or their exchange for a token). */
  static boolean isAuthentication(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      // The OAuth token exchange was refused before the request was sent: the key is no good.
      // (A token endpoint that cannot be reached is not that: it says nothing about the key.)
      if (t.getClass().getName().startsWith("com.google.auth.oauth2.")
          && String.valueOf(t.getMessage()).matches("(?s).*\\b(400|401)\\b.*")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    ApiException api = apiException(error);
    return api != null && api.getStatusCode().getCode() == StatusCode.Code.UNAUTHENTICATED;
  }

  /** The API status code of a failure, if it was an answer of the API. */
  static StatusCode.Code codeOf(Throwable error) {
    ApiException api = apiException(error);
    return api == null ? null : api.getStatusCode().getCode();
  }

  static ProviderException translate(String instanceName, String action, Throwable error) {
    if (error instanceof ProviderException provider) {
      return provider;
    }
    String where = "provider instance '" + instanceName + "' while " + action + ": ";
    if (error instanceof InterruptedException || causedBy(error, InterruptedIOException.class)) {
      // The host abandoned the call; keep its interrupt for whoever runs this thread next.
      Thread.currentThread().interrupt();
      return new ProviderException(ErrorCode.TIMEOUT, where + "interrupted", error);
    }
    if (error instanceof TimeoutException) {
      return new ProviderException(
          ErrorCode.TIMEOUT,
          where + "the long-running operation did not finish in time (operationTimeout)",
          error);
    }
    if (error instanceof CancellationException) {
      return new ProviderException(ErrorCode.TIMEOUT, where + "the call was cancelled", error);
    }
    if (isAuthentication(error)) {
      return new ProviderException(
          ErrorCode.AUTHENTICATION,
          where
              + "Google Cloud refused the credentials; check that the service-account key the"
              + " 'credentials' setting references is current and not disabled",
          error);
    }
    ApiException api = apiException(error);
    if (api == null) {
      return new ProviderException(
          causedBy(error, IOException.class) ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
          where + "could not reach Cloud Run: " + error,
          error);
    }
    String message = api.getMessage() + rootCause(api);
    return switch (api.getStatusCode().getCode()) {
      case PERMISSION_DENIED ->
          new ProviderException(
              ErrorCode.PERMISSION_DENIED,
              where
                  + "permission denied: "
                  + message
                  + "; grant the control plane's service account the roles in"
                  + " docs/providers/cloudrun.md",
              error);
      case INVALID_ARGUMENT, OUT_OF_RANGE ->
          new ProviderException(
              ErrorCode.INVALID_SPEC, where + "Cloud Run rejected the request: " + message, error);
      case RESOURCE_EXHAUSTED ->
          new ProviderException(
              ErrorCode.THROTTLED,
              where + "throttled or out of quota (429) after retries: " + message,
              error);
      case UNAVAILABLE, INTERNAL, UNKNOWN, ABORTED ->
          new ProviderException(
              ErrorCode.UNAVAILABLE,
              where
                  + "Cloud Run answered "
                  + api.getStatusCode().getCode()
                  + " after retries: "
                  + message,
              error);
      case DEADLINE_EXCEEDED, CANCELLED ->
          new ProviderException(
              ErrorCode.TIMEOUT, where + "Cloud Run did not answer in time after retries", error);
      default ->
          new ProviderException(
              ErrorCode.INTERNAL,
              where + "unexpected answer " + api.getStatusCode().getCode() + ": " + message,
              error);
    };
  }

  /** The innermost cause, when the client wrapped a local failure (e.g. the token refresh). */
  private static String rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error ? "" : " (caused by " + root + ")";
  }

  static ApiException apiException(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ApiException api) {
        return api;
      }
      if (!(t instanceof ExecutionException) && t.getCause() == t) {
        return null;
      }
    }
    return null;
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        return false;
      }
    }
    return false;
  }
}
