package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.function.Supplier;

/** Turns the client's exceptions into {@link ProviderException}s whose codes say what to do. */
final class KubernetesErrors {

  private KubernetesErrors() {}

  /** Runs one call to the API server; {@code action} completes "... while {action}". */
  static <T> T call(String instanceName, String action, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw translate(instanceName, action, e);
    }
  }

  static void run(String instanceName, String action, Runnable call) {
    call(
        instanceName,
        action,
        () -> {
          call.run();
          return null;
        });
  }

  static ProviderException translate(
      String instanceName, String action, KubernetesClientException e) {
    String where = "provider instance '" + instanceName + "' while " + action + ": ";
    if (e instanceof KubernetesClientTimeoutException) {
      return new ProviderException(ErrorCode.TIMEOUT, where + e.getMessage(), e);
    }
    if (causedBy(e, InterruptedException.class) || causedBy(e, InterruptedIOException.class)) {
      // The host abandoned the call; keep its interrupt for whoever runs this thread next.
      Thread.currentThread().interrupt();
      return new ProviderException(ErrorCode.TIMEOUT, where + "interrupted", e);
    }
    int code = e.getCode();
    String status = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
    return switch (code) {
      case 401 ->
          new ProviderException(
              ErrorCode.AUTHENTICATION,
              where
                  + "the API server refused the credentials (401); check or rotate the"
                  + " credential the instance's settings reference",
              e);
      case 403 ->
          new ProviderException(
              ErrorCode.PERMISSION_DENIED,
              where
                  + "forbidden (403): "
                  + status
                  + "; grant the Role in docs/providers/kubernetes.md to the control plane's"
                  + " account",
              e);
      case 400, 422 ->
          new ProviderException(
              ErrorCode.INVALID_SPEC, where + "the API server rejected the object: " + status, e);
      case 429 -> new ProviderException(ErrorCode.THROTTLED, where + "throttled (429)", e);
      case 0 ->
          new ProviderException(
              causedBy(e, IOException.class) ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
              where + "could not reach the API server: " + e.getMessage(),
              e);
      default ->
          code >= 500
              ? new ProviderException(
                  ErrorCode.UNAVAILABLE,
                  where + "the API server answered " + code + ": " + status,
                  e)
              : new ProviderException(
                  ErrorCode.INTERNAL, where + "unexpected answer " + code + ": " + status, e);
    };
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
