package io.hodei.plugins.ecs;

import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

/**
 * Reads AWS keys from a credential: the fields {@code accessKeyId}, {@code secretAccessKey} and
 * optionally {@code sessionToken}, or a single value holding a JSON object with those fields (the
 * shape AWS Secrets Manager secrets usually have).
 */
final class AwsCredentialsReader {

  static final String ACCESS_KEY_ID = "accessKeyId";
  static final String SECRET_ACCESS_KEY = "secretAccessKey";
  static final String SESSION_TOKEN = "sessionToken";

  private AwsCredentialsReader() {}

  static AwsCredentials read(Credential credential) {
    Map<String, String> fields = credential.values();
    if (!fields.containsKey(ACCESS_KEY_ID) && fields.containsKey(Credential.VALUE)) {
      fields = fromJson(credential);
    }
    String keyId = fields.get(ACCESS_KEY_ID);
    String secret = fields.get(SECRET_ACCESS_KEY);
    if (keyId == null || keyId.isBlank() || secret == null || secret.isBlank()) {
      throw unusable(credential, "it needs the fields accessKeyId and secretAccessKey");
    }
    String token = fields.get(SESSION_TOKEN);
    return token == null || token.isBlank()
        ? AwsBasicCredentials.create(keyId, secret)
        : AwsSessionCredentials.create(keyId, secret, token);
  }

  private static Map<String, String> fromJson(Credential credential) {
    JsonNode node;
    try {
      node = JsonNodeParser.create().parse(credential.value());
    } catch (RuntimeException e) {
      // The parser's message may quote the value: do not pass it on.
      throw unusable(credential, "its value is not a JSON object");
    }
    if (!node.isObject()) {
      throw unusable(credential, "its value is not a JSON object");
    }
    java.util.HashMap<String, String> fields = new java.util.HashMap<>();
    node.asObject()
        .forEach(
            (key, value) -> {
              if (value.isString()) {
                fields.put(key, value.asString());
              }
            });
    return fields;
  }

  private static ProviderException unusable(Credential credential, String why) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION,
        "credential '"
            + credential.reference()
            + "' cannot be used as AWS keys: "
            + why
            + " (fields: "
            + credential.values().keySet()
            + ")");
  }
}
