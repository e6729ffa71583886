package io.hodei.credentials.policy;

import io.hodei.credentials.SecretReference;
import io.hodei.plugin.api.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rejects a provider instance's configuration when a value looks like a secret written out instead
 * of named by reference: cloud access key ids, private key blocks, well-known token prefixes, and
 * long high-entropy values under keys named like secrets.
 */
public final class RawSecretDetector {

  private static final Pattern ACCESS_KEY_ID = Pattern.compile("\\b(AKIA|ASIA)[A-Z0-9]{16}\\b");
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----");
  private static final Pattern TOKEN_PREFIX =
      Pattern.compile(
          "\\b(gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|hvs\\.[A-Za-z0-9_-]{20,})");
  private static final Pattern SECRET_KEY_NAME =
      Pattern.compile(".*(secret|password|passwd|token|key|credential).*");
  // Keys that name where a secret is, not the secret itself.
  private static final Pattern LOCATOR_KEY_NAME =
      Pattern.compile(".*(id|arn|path|file|name|url|uri|ref|reference)");
  private static final int MIN_LENGTH = 16;
  private static final double MIN_BITS_PER_CHAR = 3.5;

  private final Set<String> referenceSchemes;

  /**
   * @param referenceSchemes the configured backends, whose references are never flagged
   */
  public RawSecretDetector(Set<String> referenceSchemes) {
    this.referenceSchemes = Set.copyOf(referenceSchemes);
  }

  /** A configuration value that looks like a raw secret, and why. */
  public record Finding(String key, String reason) {}

  /** What looks like a raw secret in {@code configuration}; never includes the values. */
  public List<Finding> scan(Map<String, String> configuration) {
    List<Finding> findings = new ArrayList<>();
    configuration.forEach(
        (key, value) -> {
          String reason = reason(key, value);
          if (reason != null) {
            findings.add(new Finding(key, reason));
          }
        });
    return findings;
  }

  /**
   * Returns normally when no value looks like a raw secret.
   *
   * @throws ProviderException with {@code INVALID_CONFIGURATION} naming the keys and saying to use
   *     a reference
   */
  public void requireReferences(String instance, Map<String, String> configuration) {
    List<Finding> findings = scan(configuration);
    if (findings.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder("provider instance '").append(instance).append("' configuration holds");
    message.append(" what looks like a raw secret:");
    for (Finding finding : findings) {
      message
          .append(" '")
          .append(finding.key())
          .append("' (")
          .append(finding.reason())
          .append(");");
    }
    message.append(
        " store the value in a secret backend and write a reference instead,"
            + " e.g. vault:kv/ci/aws-prod, aws-sm:prod/ecs-deployer or local:docker-registry");
    throw new ProviderException(
        ProviderException.ErrorCode.INVALID_CONFIGURATION, message.toString());
  }

  private String reason(String key, String value) {
    if (value == null || value.isBlank() || isReference(value)) {
      return null;
    }
    if (ACCESS_KEY_ID.matcher(value).find()) {
      return "an AWS access key id";
    }
    if (PRIVATE_KEY.matcher(value).find()) {
      return "a private key";
    }
    if (TOKEN_PREFIX.matcher(value).find()) {
      return "an access token";
    }
    String name = key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(".", "");
    if (SECRET_KEY_NAME.matcher(name).matches()
        && !LOCATOR_KEY_NAME.matcher(name).matches()
        && looksRandom(value)) {
      return "a long random value under a secret-like key";
    }
    return null;
  }

  private boolean isReference(String value) {
    int colon = value.indexOf(':');
    if (colon <= 0 || !referenceSchemes.contains(value.substring(0, colon))) {
      return false;
    }
    try {
      SecretReference.parse(value.trim());
      return true;
    } catch (IllegalArgumentException notAReference) {
      return false;
    }
  }

  static boolean looksRandom(String value) {
    if (value.length() < MIN_LENGTH || value.chars().anyMatch(Character::isWhitespace)) {
      return false;
    }
    return bitsPerChar(value) >= MIN_BITS_PER_CHAR;
  }

  /** Shannon entropy of the characters of {@code value}. */
  static double bitsPerChar(String value) {
    Map<Integer, Integer> counts = new java.util.HashMap<>();
    value.chars().forEach(c -> counts.merge(c, 1, Integer::sum));
    double bits = 0;
    for (int count : counts.values()) {
      double p = (double) count / value.length();
      bits -= p * (Math.log(p) / Math.log(2));
    }
    return bits;
  }
}
