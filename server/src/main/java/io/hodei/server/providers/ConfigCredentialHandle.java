package io.hodei.server.providers;

import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Serves a provider instance's credentials from its own configuration, under keys {@code
 * credentials.<reference>}. It stands in until the credential broker backs the handle; values never
 * rotate here, so rotation listeners are accepted and never called.
 */
final class ConfigCredentialHandle implements CredentialHandle {

  private final String instanceName;
  private final ProviderConfig config;

  ConfigCredentialHandle(String instanceName, ProviderConfig config) {
    this.instanceName = instanceName;
    this.config = config;
  }

  @Override
  public Credential get(String reference) {
    String value =
        config
            .get("credentials." + reference)
            .orElseThrow(
                () ->
                    new ProviderException(
                        ProviderException.ErrorCode.INVALID_CONFIGURATION,
                        "provider instance '"
                            + instanceName
                            + "' has no credential '"
                            + reference
                            + "'"));
    return new Credential(reference, Map.of(Credential.VALUE, value), "1", Optional.empty());
  }

  @Override
  public void onRotation(String reference, Consumer<Credential> listener) {
    // Configuration values do not rotate while the instance is open.
  }
}
