package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Image pull secrets made from credentials: a reference's value becomes a {@code
 * kubernetes.io/dockerconfigjson} Secret in each namespace workers run in.
 *
 * <p>A credential is either a ready {@code .dockerconfigjson} (field {@code .dockerconfigjson}, or
 * the single {@code value}), or the fields {@code registry}, {@code username} and {@code password}.
 */
final class PullSecrets {

  private PullSecrets() {}

  /** The Secret's name for a reference: stable, DNS-safe, and distinct per reference. */
  static String name(String reference) {
    return OwnershipLabels.dnsLabel("hodei-pull-", reference.replaceAll("[^A-Za-z0-9]", "-"), 63);
  }

  static Secret build(String namespace, Map<String, String> ownerLabels, Credential credential) {
    String json = dockerConfigJson(credential);
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name(credential.reference()))
        .withNamespace(namespace)
        .withLabels(new TreeMap<>(ownerLabels))
        // The version, not the value: tells an operator which rotation the Secret holds.
        .addToAnnotations("hodei.io/credential-version", credential.version())
        .endMetadata()
        .withType("kubernetes.io/dockerconfigjson")
        .withData(Map.of(".dockerconfigjson", base64(json)))
        .build();
  }

  private static String dockerConfigJson(Credential credential) {
    Map<String, String> values = credential.values();
    if (values.containsKey(".dockerconfigjson")) {
      return values.get(".dockerconfigjson");
    }
    if (values.containsKey("registry")) {
      String auth = base64(credential.field("username") + ":" + credential.field("password"));
      return "{\"auths\":{\""
          + jsonEscape(credential.field("registry"))
          + "\":{\"auth\":\""
          + auth
          + "\"}}}";
    }
    if (values.containsKey(Credential.VALUE)) {
      return credential.value();
    }
    throw new ProviderException(
        ErrorCode.INVALID_CONFIGURATION,
        "image pull credential '"
            + credential.reference()
            + "' must hold a .dockerconfigjson (field '.dockerconfigjson' or 'value') or the"
            + " fields registry, username and password; it has "
            + values.keySet());
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String jsonEscape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
