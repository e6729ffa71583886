package io.hodei.plugin.api;

/**
 * Identifies a provider type and what it offers.
 *
 * @param type the provider type name that configurations refer to, e.g. {@code docker}; lower case
 *     letters, digits and dashes
 * @param version the provider implementation's version
 * @param capabilities what it can offer
 */
public record ProviderDescriptor(String type, String version, Capabilities capabilities) {

  public ProviderDescriptor {
    if (type == null || !type.matches("[a-z][a-z0-9-]{0,62}")) {
      throw new IllegalArgumentException(
          "provider type must be lower case letters, digits and dashes, starting with a letter: "
              + type);
    }
  }
}
