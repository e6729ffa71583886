package io.hodei.plugins.ecs;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the SDK's exceptions, after its own retries, into {@link ProviderException}s whose codes
 * say what to do. Messages carry the AWS error code and message, never a credential.
 */
final class EcsErrors {

  /** Error codes with which AWS refuses the credentials themselves (not a missing permission). */
  static final Set<String> AUTHENTICATION_CODES =
      Set.of(
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "SignatureDoesNotMatch",
          "IncompleteSignature",
          "IncompleteSignatureException",
          "InvalidClientTokenId",
          "ExpiredToken",
          "ExpiredTokenException",
          "MissingAuthenticationToken",
          "MissingAuthenticationTokenException",
          "AuthFailure");

  private static final Set<String> PERMISSION_CODES =
      Set.of("AccessDeniedException", "AccessDenied", "UnauthorizedOperation");

  private static final Set<String> THROTTLING_CODES =
      Set.of(
          "ThrottlingException",
          "Throttling",
          "TooManyRequestsException",
          "RequestLimitExceeded",
          "LimitExceededException");

  private EcsErrors() {}

  /** Whether AWS refused the credentials, so that fetching them again may help. */
  static boolean isAuthentication(Throwable error) {
    AwsServiceException e = find(error, AwsServiceException.class);
    return e != null
        && e.awsErrorDetails() != null
        && (AUTHENTICATION_CODES.contains(e.awsErrorDetails().errorCode())
            || e.statusCode() == 401);
  }

  static ProviderException translate(String instanceName, String action, SdkException error) {
    String where = "provider instance '" + instanceName + "' while " + action + ": ";
    if (error instanceof AbortedException
        || causedBy(error, InterruptedException.class)
        || causedBy(error, InterruptedIOException.class)
            && !causedBy(error, java.net.SocketTimeoutException.class)) {
      // The host abandoned the call; keep its interrupt for whoever runs this thread next.
      Thread.currentThread().interrupt();
      return new ProviderException(ErrorCode.TIMEOUT, where + "interrupted", error);
    }
    if (error instanceof ApiCallTimeoutException
        || error instanceof ApiCallAttemptTimeoutException
        || causedBy(error, java.net.SocketTimeoutException.class)) {
      return new ProviderException(
          ErrorCode.TIMEOUT,
          where + "ECS did not answer in time (" + error.getMessage() + ")",
          error);
    }
    // Also nested: a refused AssumeRole reaches us wrapped in the ECS call's client exception.
    AwsServiceException aws = find(error, AwsServiceException.class);
    if (aws != null) {
      return service(where, aws);
    }
    if (error instanceof SdkClientException && causedBy(error, IOException.class)) {
      return new ProviderException(
          ErrorCode.UNAVAILABLE, where + "could not reach ECS: " + error.getMessage(), error);
    }
    return new ProviderException(ErrorCode.INTERNAL, where + error.getMessage(), error);
  }

  private static ProviderException service(String where, AwsServiceException error) {
    String code = error.awsErrorDetails() == null ? "" : error.awsErrorDetails().errorCode();
    String message =
        error.awsErrorDetails() == null
            ? error.getMessage()
            : error.awsErrorDetails().errorMessage();
    String said = code + " (" + error.statusCode() + "): " + message;
    if (isAuthentication(error)) {
      return new ProviderException(
          ErrorCode.AUTHENTICATION,
          where
              + "AWS refused the credentials, "
              + said
              + "; check or rotate the credential the instance's 'credentials' setting references",
          error);
    }
    if (PERMISSION_CODES.contains(code) || error.statusCode() == 403) {
      return new ProviderException(
          ErrorCode.PERMISSION_DENIED,
          where + said + "; grant the IAM policy in docs/providers/ecs.md to the identity used",
          error);
    }
    if (THROTTLING_CODES.contains(code)
        || error.statusCode() == 429
        || error.isThrottlingException()) {
      return new ProviderException(ErrorCode.THROTTLED, where + "throttled, " + said, error);
    }
    if (error.statusCode() >= 500) {
      return new ProviderException(ErrorCode.UNAVAILABLE, where + "ECS answered " + said, error);
    }
    if ("ClusterNotFoundException".equals(code)) {
      return new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          where + said + "; check the 'cluster' and 'region' settings",
          error);
    }
    if ("InvalidParameterException".equals(code)
        || "ClientException".equals(code)
        || "PlatformUnknownException".equals(code)
        || "PlatformTaskDefinitionIncompatibilityException".equals(code)
        || "UnsupportedFeatureException".equals(code)) {
      return new ProviderException(ErrorCode.INVALID_SPEC, where + "ECS refused, " + said, error);
    }
    return new ProviderException(ErrorCode.INTERNAL, where + "unexpected answer " + said, error);
  }

  static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    return find(error, type) != null;
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        return null;
      }
    }
    return null;
  }
}
