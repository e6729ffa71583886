package io.hodei.credentials;

import java.util.Map;
import java.util.Optional;

/**
 * A secret value as a backend returned it.
 *
 * @param reference what was asked for
 * @param fields the secret's fields; a single-valued secret has one field, {@code value}
 * @param version the backend's version of the value; a different version means it rotated
 * @param lease how long it may be used, when the backend says
 */
public record Secret(
    SecretReference reference, Map<String, String> fields, String version, Optional<Lease> lease) {

  public Secret {
    fields = Map.copyOf(fields);
  }

  /** Never prints the values. */
  @Override
  public String toString() {
    return "Secret[" + reference + ", fields=" + fields.keySet() + ", version=" + version + "]";
  }
}
