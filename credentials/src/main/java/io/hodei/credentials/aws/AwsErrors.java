package io.hodei.credentials.aws;

import io.hodei.credentials.BackendException;
import io.hodei.credentials.BackendException.Kind;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Maps Secrets Manager's error codes and the SDK's client failures to {@link Kind}s. */
final class AwsErrors {

  private AwsErrors() {}

  static Kind kindOf(String code, int status) {
    if (code != null) {
      switch (code) {
        case "ResourceNotFoundException":
          return Kind.NOT_FOUND;
        case "AccessDeniedException", "AccessDenied", "DecryptionFailure":
          return Kind.DENIED;
        case "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "IncompleteSignature",
        "SignatureDoesNotMatch",
        "ExpiredTokenException",
        "MissingAuthenticationToken":
          return Kind.UNAUTHENTICATED;
        case "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded":
          return Kind.THROTTLED;
        case "InternalServiceError", "InternalFailure", "ServiceUnavailable":
          return Kind.UNAVAILABLE;
        case "InvalidRequestException", "InvalidParameterException", "ValidationException":
          return Kind.INVALID;
        default:
          break;
      }
    }
    if (status == 429) {
      return Kind.THROTTLED;
    }
    if (status >= 500) {
      return Kind.UNAVAILABLE;
    }
    return status == 403 ? Kind.DENIED : Kind.INVALID;
  }

  static BackendException of(RuntimeException e, String operation) {
    if (e instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      Kind kind = kindOf(code, service.statusCode());
      return new BackendException(
          kind,
          operation
              + ": Secrets Manager answered "
              + (code == null ? "HTTP " + service.statusCode() : code)
              + hint(kind),
          e);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return timeout(operation, e);
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SocketTimeoutException || cause instanceof InterruptedIOException) {
        return timeout(operation, e);
      }
      if (cause instanceof CredentialsUnavailable) {
        return new BackendException(
            Kind.UNAUTHENTICATED, operation + ": no AWS credentials; " + cause.getMessage(), e);
      }
    }
    String what = e instanceof SdkClientException ? "the connection failed" : "the call failed";
    return new BackendException(
        Kind.UNAVAILABLE,
        operation + ": " + what + " (" + e.getClass().getSimpleName() + "); retry later",
        e);
  }

  private static BackendException timeout(String operation, Throwable e) {
    return new BackendException(
        Kind.TIMEOUT,
        operation + ": Secrets Manager did not answer in time; raise callTimeout if this repeats",
        e);
  }

  private static String hint(Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> "; check the secret id and the region";
      case DENIED -> "; grant secretsmanager:GetSecretValue (and kms:Decrypt) on the secret";
      case UNAUTHENTICATED -> "; check the broker's AWS access key and session token";
      case THROTTLED -> "; the request rate is too high, retry later";
      case UNAVAILABLE -> "; Secrets Manager is failing, retry later";
      case INVALID -> "; the request was refused (a secret marked for deletion, a bad id)";
      default -> "";
    };
  }

  /** The credential supplier failed or gave nothing. */
  static final class CredentialsUnavailable extends RuntimeException {
    CredentialsUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
