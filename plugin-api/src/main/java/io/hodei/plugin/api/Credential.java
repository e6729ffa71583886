package io.hodei.plugin.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A secret value a provider obtained by reference, with its version and lease.
 *
 * @param reference what was asked for, e.g. {@code vault:kv/ci/aws-prod}
 * @param values the secret's fields (a single-valued secret has one field, {@code value})
 * @param version the backend's version of the value; changes when it rotates
 * @param expiresAt when the lease ends, if it does; fetch again before then
 */
public record Credential(
    String reference, Map<String, String> values, String version, Optional<Instant> expiresAt) {

  /** The field that a single-valued secret keeps its value under. */
  public static final String VALUE = "value";

  public Credential {
    values = Map.copyOf(values);
  }

  /** The single value of a single-valued secret. */
  public String value() {
    return field(VALUE);
  }

  /** One field of the secret. */
  public String field(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new ProviderException(
          ProviderException.ErrorCode.INVALID_CONFIGURATION,
          "credential '" + reference + "' has no field '" + name + "'; it has " + values.keySet());
    }
    return value;
  }

  /** Never prints the values. */
  @Override
  public String toString() {
    return "Credential[" + reference + ", fields=" + values.keySet() + ", version=" + version + "]";
  }
}
