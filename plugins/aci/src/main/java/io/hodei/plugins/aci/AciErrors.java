package io.hodei.plugins.aci;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.polling.PollResult;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Translates what the Azure SDK throws into {@link ProviderException}s whose code tells the host
 * what to do: Resource Manager's HTTP status first, refined by its error code ({@code
 * {"error":{"code":...}}}).
 */
final class AciErrors {

  /** Error codes that mean the provider instance's settings point at the wrong place. */
  private static final Set<String> CONFIGURATION_CODES =
      Set.of(
          "resourcegroupnotfound",
          "subscriptionnotfound",
          "invalidsubscriptionid",
          "missingsubscriptionregistration",
          "noregisteredproviderfound",
          "locationnotavailableforresourcetype",
          "invalidresourcelocation",
          "subnetnotfound",
          "disallowedlocation");

  /** Error codes that mean the region or subscription is full for now. */
  private static final Set<String> CAPACITY_CODES =
      Set.of(
          "containergroupquotareached",
          "quotaexceeded",
          "standardcoresquotaexceeded",
          "serviceunavailable",
          "skunotavailable",
          "resourcesnotavailable",
          "regioncapacityexceeded");

  /** Error codes of operations that fail because of what the worker asked for. */
  private static final Set<String> SPEC_CODES =
      Set.of(
          "inaccessibleimage",
          "invalidimage",
          "registryerrorresponse",
          "invalidcontainergroupname",
          "invalidresourcerequests",
          "resourcerequestsexceedlimits",
          "invalidrequestcontent");

  private AciErrors() {}

  static ProviderException translate(String instanceName, String action, Throwable error) {
    String where = "provider instance '" + instanceName + "' while " + action + ": ";
    if (error instanceof ProviderException provider) {
      return provider;
    }
    if (interrupted(error)) {
      // The host abandoned the call; keep its interrupt for whoever runs this thread next.
      Thread.currentThread().interrupt();
      return new ProviderException(ErrorCode.TIMEOUT, where + "interrupted", error);
    }
    if (error instanceof ClientAuthenticationException && status(error).isEmpty()) {
      // A token request that failed before Resource Manager was asked (Entra ID, managed identity).
      return new ProviderException(
          ErrorCode.AUTHENTICATION,
          where
              + "could not obtain a Resource Manager token: "
              + firstLine(error.getMessage())
              + "; check the credential the instance's settings reference",
          error);
    }
    Optional<Integer> status = status(error);
    if (status.isPresent()) {
      return fromResponse(where, status.get(), armCode(error), armMessage(error), error);
    }
    if (causedBy(error, TimeoutException.class)
        || causedBy(error, java.net.http.HttpTimeoutException.class)
        || String.valueOf(error.getMessage()).startsWith("Timeout on blocking read")) {
      return new ProviderException(
          ErrorCode.TIMEOUT, where + "Resource Manager did not answer in time", error);
    }
    if (causedBy(error, IOException.class) || causedBy(error, UncheckedIOException.class)) {
      return new ProviderException(
          ErrorCode.UNAVAILABLE,
          where + "could not reach Resource Manager: " + firstLine(rootMessage(error)),
          error);
    }
    return new ProviderException(
        ErrorCode.INTERNAL, where + "unexpected failure: " + firstLine(rootMessage(error)), error);
  }

  private static ProviderException fromResponse(
      String where, int status, String code, String message, Throwable error) {
    String said =
        (status >= 400 ? "Resource Manager answered " + status + " " : "the operation failed with ")
            + code
            + ": "
            + firstLine(message);
    String lower = code.toLowerCase(Locale.ROOT);
    if (status == 401) {
      return new ProviderException(
          ErrorCode.AUTHENTICATION,
          where + said + "; check or rotate the credential the instance's settings reference",
          error);
    }
    if (status == 403) {
      return new ProviderException(
          ErrorCode.PERMISSION_DENIED,
          where
              + said
              + "; grant the role in docs/providers/aci.md to the control plane's identity",
          error);
    }
    if (status == 429) {
      return new ProviderException(ErrorCode.THROTTLED, where + said, error);
    }
    if (status == 408) {
      return new ProviderException(ErrorCode.TIMEOUT, where + said, error);
    }
    // The error code says more than the status: a failed asynchronous operation arrives with the
    // poll's 200, and Resource Manager answers capacity problems with 409 as well as 400.
    if (CONFIGURATION_CODES.contains(lower)) {
      return new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          where + said + "; check subscriptionId, resourceGroup, location and subnetId",
          error);
    }
    if (CAPACITY_CODES.contains(lower) || lower.contains("quota")) {
      return new ProviderException(ErrorCode.CAPACITY_EXHAUSTED, where + said, error);
    }
    if (SPEC_CODES.contains(lower)) {
      return new ProviderException(ErrorCode.INVALID_SPEC, where + said, error);
    }
    if (status >= 500 || status < 400) {
      // A server error, or an operation that failed on Azure's side for no reason of ours.
      return new ProviderException(ErrorCode.UNAVAILABLE, where + said, error);
    }
    if (status == 409) {
      // The group is being changed or deleted by an earlier call; a later try sees it settled.
      return new ProviderException(ErrorCode.UNAVAILABLE, where + said, error);
    }
    if (status == 400 || status == 422) {
      return new ProviderException(ErrorCode.INVALID_SPEC, where + said, error);
    }
    return new ProviderException(ErrorCode.INTERNAL, where + "unexpected answer: " + said, error);
  }

  /**
   * A long-running operation that Resource Manager reports failed: the poll answered 200 with
   * {@code {"status":"Failed","error":{"code","message"}}}.
   */
  static ProviderException operationFailed(
      String instanceName, String action, PollResult.Error error) {
    String where = "provider instance '" + instanceName + "' while " + action + ": ";
    String code = "";
    String message = error.getMessage();
    if (error.getResponseBody() != null) {
      try (JsonReader reader = JsonProviders.createReader(error.getResponseBody())) {
        ManagementError parsed = ManagementError.fromJson(reader);
        if (parsed != null && parsed.getCode() != null) {
          code = parsed.getCode();
          message = parsed.getMessage();
        }
      } catch (IOException | RuntimeException e) {
        // Not Resource Manager's error shape; the poller's own message has to do.
      }
    }
    int status = error.getResponseStatusCode();
    return fromResponse(where, status, code.isEmpty() ? "OperationFailed" : code, message, null);
  }

  /** Whether Resource Manager refused the caller's identity, so fresh credentials may help. */
  static boolean isAuthenticationFailure(Throwable error) {
    return status(error).map(s -> s == 401).orElse(error instanceof ClientAuthenticationException);
  }

  /** Whether the answer was a 404 for the container group itself (not its resource group). */
  static boolean isGroupNotFound(Throwable error) {
    return status(error).map(s -> s == 404).orElse(false)
        && !CONFIGURATION_CODES.contains(armCode(error).toLowerCase(Locale.ROOT));
  }

  /** Whether the answer was a 404 of any kind: the group, or its resource group, is gone. */
  static boolean isNotFound(Throwable error) {
    return status(error).map(s -> s == 404).orElse(false);
  }

  /** The Resource Manager error code, or an empty string when the answer carried none. */
  static String armCode(Throwable error) {
    if (error instanceof ManagementException management && management.getValue() != null) {
      return Optional.ofNullable(management.getValue().getCode()).orElse("");
    }
    return "";
  }

  private static String armMessage(Throwable error) {
    if (error instanceof ManagementException management
        && management.getValue() != null
        && management.getValue().getMessage() != null) {
      return management.getValue().getMessage();
    }
    return String.valueOf(error.getMessage());
  }

  private static Optional<Integer> status(Throwable error) {
    if (error instanceof HttpResponseException http && http.getResponse() != null) {
      return Optional.of(http.getResponse().getStatusCode());
    }
    return Optional.empty();
  }

  private static boolean interrupted(Throwable error) {
    return causedBy(error, InterruptedException.class)
        || causedBy(error, ClosedByInterruptException.class)
        || hasExactly(error, InterruptedIOException.class);
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

  private static boolean hasExactly(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getClass() == type) {
        return true;
      }
      if (t.getCause() == t) {
        return false;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
