package io.hodei.plugins.docker;

import com.github.dockerjava.api.model.AuthConfig;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The registry login used for pulls, read by reference and replaced when it rotates, so that the
 * next pull after a rotation uses the new password without a restart.
 *
 * <p>The credential has the fields {@code username} and {@code password} (and optionally {@code
 * registry}), or one value {@code username:password}.
 */
final class RegistryLogin {

  private final Optional<String> reference;
  private final CredentialHandle credentials;
  private final AtomicReference<Credential> current = new AtomicReference<>();

  RegistryLogin(Optional<String> reference, CredentialHandle credentials) {
    this.reference = reference;
    this.credentials = credentials;
    reference.ifPresent(r -> credentials.onRotation(r, current::set));
  }

  /** The login for a pull from {@code registry}, or empty when the instance has none. */
  Optional<AuthConfig> forRegistry(Optional<String> registry) {
    if (reference.isEmpty()) {
      return Optional.empty();
    }
    Credential credential = current.updateAndGet(c -> c != null ? c : fetch());
    String username;
    String password;
    if (credential.values().containsKey("username")) {
      username = credential.field("username");
      password = credential.field("password");
    } else {
      String value = credential.value();
      int colon = value.indexOf(':');
      if (colon <= 0) {
        throw new ProviderException(
            ErrorCode.INVALID_CONFIGURATION,
            "registry credential '"
                + reference.get()
                + "' must be 'username:password' or have the fields username and password");
      }
      username = value.substring(0, colon);
      password = value.substring(colon + 1);
    }
    AuthConfig login = new AuthConfig().withUsername(username).withPassword(password);
    Optional.ofNullable(credential.values().get("registry"))
        .or(() -> registry)
        .ifPresent(login::withRegistryAddress);
    return Optional.of(login);
  }

  /** The version of the login in use, for tests and diagnostics; never the secret. */
  Optional<String> version() {
    return Optional.ofNullable(current.get()).map(Credential::version);
  }

  private Credential fetch() {
    return credentials.get(reference.orElseThrow());
  }
}
