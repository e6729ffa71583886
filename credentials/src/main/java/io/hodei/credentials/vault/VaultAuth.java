package io.hodei.credentials.vault;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * How the backend logs in to Vault. Both methods yield a short-lived token, so the broker never
 * holds a static Vault token; secrets come from suppliers so they are read only when a login needs
 * them and never stored in the settings.
 */
public sealed interface VaultAuth {

  /** The auth mount, e.g. {@code approle} for {@code POST /v1/auth/approle/login}. */
  String mount();

  /**
   * AppRole login.
   *
   * @param mount the AppRole auth mount, usually {@code approle}
   * @param roleId the role id (not secret on its own)
   * @param secretId supplies the secret id at each login
   */
  record AppRole(String mount, String roleId, Supplier<String> secretId) implements VaultAuth {
    public AppRole {
      requireMount(mount);
      if (roleId == null || roleId.isBlank()) {
        throw new IllegalArgumentException("AppRole login needs the role id of the broker's role");
      }
      Objects.requireNonNull(secretId, "AppRole login needs a supplier of the secret id");
    }
  }

  /**
   * JWT login with a token Vault trusts, such as the broker's own Keycloak access token.
   *
   * @param mount the JWT auth mount, usually {@code jwt}
   * @param role the Vault role bound to the token's claims
   * @param jwt supplies a currently valid token at each login
   */
  record Jwt(String mount, String role, Supplier<String> jwt) implements VaultAuth {
    public Jwt {
      requireMount(mount);
      if (role == null || role.isBlank()) {
        throw new IllegalArgumentException("JWT login needs the Vault role bound to the token");
      }
      Objects.requireNonNull(jwt, "JWT login needs a supplier of the token");
    }
  }

  private static void requireMount(String mount) {
    if (mount == null || !mount.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")) {
      throw new IllegalArgumentException(
          "a Vault auth mount is a path such as approle or jwt, without slashes at the ends: "
              + mount);
    }
  }
}
