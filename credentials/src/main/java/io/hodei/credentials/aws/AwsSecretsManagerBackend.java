package io.hodei.credentials.aws;

import io.hodei.credentials.BackendException;
import io.hodei.credentials.BackendException.Kind;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretBackend;
import io.hodei.credentials.SecretReference;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * AWS Secrets Manager as a secret backend. References are {@code aws-sm:<secret-id>}, served at
 * stage AWSCURRENT, or {@code aws-sm:<secret-id>@<version-id>} to pin a version. A version only
 * staged AWSPENDING is never served: during a rotation consumers keep the current value and see the
 * new one, with a new version id, once Secrets Manager makes it AWSCURRENT. JSON object strings
 * become fields; any other string is the single field {@code value}.
 */
public final class AwsSecretsManagerBackend implements SecretBackend {

  public static final String SCHEME = "aws-sm";

  static final String CURRENT = "AWSCURRENT";
  static final String PENDING = "AWSPENDING";

  /** Version ids are UUIDs (32 to 64 characters); only such a suffix pins a version. */
  private static final Pattern PINNED = Pattern.compile("(.+)@([0-9a-fA-F-]{32,64})");

  private final SecretsManagerClient client;

  public AwsSecretsManagerBackend(AwsSecretsManagerSettings settings) {
    var builder =
        SecretsManagerClient.builder()
            .region(settings.region())
            .credentialsProvider(guarded(settings.credentials()))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(settings.connectTimeout())
                    .socketTimeout(settings.callTimeout()))
            // One attempt per call: backoff is the broker's, which sees every failure's kind.
            .overrideConfiguration(
                c -> c.retryPolicy(RetryPolicy.none()).apiCallTimeout(settings.callTimeout()));
    settings.endpointOverride().ifPresent(builder::endpointOverride);
    this.client = builder.build();
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Secret read(SecretReference reference) {
    Target target = target(reference);
    String operation = "read of " + reference;
    GetSecretValueRequest.Builder request = GetSecretValueRequest.builder().secretId(target.id());
    target.version().ifPresentOrElse(request::versionId, () -> request.versionStage(CURRENT));
    GetSecretValueResponse response;
    try {
      response = client.getSecretValue(request.build());
    } catch (SdkException | AwsErrors.CredentialsUnavailable e) {
      throw AwsErrors.of(e, operation);
    }
    List<String> stages = response.versionStages();
    if (!stages.contains(CURRENT) && stages.contains(PENDING) && stages.size() == 1) {
      throw new BackendException(
          Kind.INVALID,
          operation + ": that version is still AWSPENDING; it is served once rotation finishes");
    }
    if (target.version().isEmpty() && !stages.contains(CURRENT)) {
      throw new BackendException(
          Kind.INVALID, operation + ": Secrets Manager answered with a version not AWSCURRENT");
    }
    if (response.versionId() == null) {
      throw new BackendException(Kind.INVALID, operation + ": the answer has no version id");
    }
    return new Secret(
        reference, fields(response, operation), response.versionId(), Optional.empty());
  }

  /** Secrets Manager values have no lease: the broker re-reads and compares version ids. */
  @Override
  public Secret renew(Secret secret) {
    throw new BackendException(
        Kind.INVALID,
        "cannot renew "
            + secret.reference()
            + ": Secrets Manager values have no lease; read it again to see a rotation");
  }

  /** Nothing to end: the value stays valid until rotated. */
  @Override
  public void revoke(Secret secret) {}

  /** The rotation schedule and a rotation under way, from {@code DescribeSecret}. */
  public RotationStatus rotation(SecretReference reference) {
    Target target = target(reference);
    DescribeSecretResponse response;
    try {
      response = client.describeSecret(b -> b.secretId(target.id()));
    } catch (SdkException | AwsErrors.CredentialsUnavailable e) {
      throw AwsErrors.of(e, "description of " + reference);
    }
    Optional<String> current = Optional.empty();
    Optional<String> pending = Optional.empty();
    if (response.hasVersionIdsToStages()) {
      for (Map.Entry<String, List<String>> version : response.versionIdsToStages().entrySet()) {
        if (version.getValue().contains(CURRENT)) {
          current = Optional.of(version.getKey());
        } else if (version.getValue().contains(PENDING)) {
          pending = Optional.of(version.getKey());
        }
      }
    }
    return new RotationStatus(
        Boolean.TRUE.equals(response.rotationEnabled()),
        Optional.ofNullable(response.lastRotatedDate()),
        Optional.ofNullable(response.nextRotationDate()),
        current,
        pending);
  }

  @Override
  public void close() {
    client.close();
  }

  private static Map<String, String> fields(GetSecretValueResponse response, String operation) {
    Map<String, String> fields = new LinkedHashMap<>();
    String text = response.secretString();
    if (text == null) {
      if (response.secretBinary() == null) {
        throw new BackendException(Kind.INVALID, operation + ": the secret has no value");
      }
      // Binary secrets travel base64-encoded, as the AWS CLI prints them.
      fields.put(
          "value", Base64.getEncoder().encodeToString(response.secretBinary().asByteArray()));
      return fields;
    }
    Optional<JsonNode> json = object(text);
    if (json.isEmpty()) {
      fields.put("value", text);
      return fields;
    }
    json.get()
        .asObject()
        .forEach(
            (name, value) -> {
              if (!value.isNull()) {
                fields.put(name, value.isString() ? value.asString() : value.toString());
              }
            });
    return fields;
  }

  private static Optional<JsonNode> object(String text) {
    String trimmed = text.strip();
    if (!trimmed.startsWith("{")) {
      return Optional.empty();
    }
    try {
      JsonNode node = JsonNode.parser().parse(trimmed);
      return node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (RuntimeException notJson) {
      // A plain string that merely starts with a brace: it is the value itself.
      return Optional.empty();
    }
  }

  private record Target(String id, Optional<String> version) {}

  private static Target target(SecretReference reference) {
    if (!SCHEME.equals(reference.backend())) {
      throw new BackendException(
          Kind.INVALID, "the Secrets Manager backend reads aws-sm: references, not " + reference);
    }
    Matcher pinned = PINNED.matcher(reference.path());
    return pinned.matches()
        ? new Target(pinned.group(1), Optional.of(pinned.group(2)))
        : new Target(reference.path(), Optional.empty());
  }

  /** Turns a failing or empty credential supplier into a failure the error mapping recognises. */
  private static AwsCredentialsProvider guarded(AwsCredentialsProvider provider) {
    return () -> {
      AwsCredentials credentials;
      try {
        credentials = provider.resolveCredentials();
      } catch (RuntimeException e) {
        throw new AwsErrors.CredentialsUnavailable(
            "the credential provider failed (" + e.getClass().getSimpleName() + ")", e);
      }
      if (credentials == null) {
        throw new AwsErrors.CredentialsUnavailable("the credential provider returned none", null);
      }
      return credentials;
    };
  }
}
