package io.hodei.plugin.api;

import java.util.function.Consumer;

/**
 * A provider's access to its credentials. The host authenticates the provider instance and checks
 * that it may read the reference; a provider never sees how.
 *
 * <p>Providers should fetch on use, or subscribe with {@link #onRotation} and rebuild their clients
 * when called, rather than copy a value into a long-lived field and forget it.
 */
public interface CredentialHandle {

  /**
   * The current value behind a reference such as {@code vault:kv/ci/aws-prod}.
   *
   * @throws ProviderException with {@code PERMISSION_DENIED} when this instance may not read it,
   *     {@code INVALID_CONFIGURATION} when it does not exist, {@code UNAVAILABLE} when the backend
   *     is down and no recent value is cached
   */
  Credential get(String reference);

  /**
   * Calls {@code listener} with the new value each time the credential behind {@code reference}
   * rotates. The listener runs on a host thread; it should be quick.
   */
  void onRotation(String reference, Consumer<Credential> listener);
}
