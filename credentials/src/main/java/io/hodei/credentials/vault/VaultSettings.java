package io.hodei.credentials.vault;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the Vault backend connects and how it logs in.
 *
 * @param address Vault's base address, e.g. {@code https://vault.example:8200}
 * @param namespace the Vault Enterprise namespace, if any
 * @param kvMounts the mounts that hold KV version 2 engines; any other mount is read as-is
 * @param auth how to obtain a Vault token
 * @param openTimeout how long to wait for a connection
 * @param readTimeout how long to wait for an answer
 * @param renewIncrement the lease extension asked for on renewal
 */
public record VaultSettings(
    URI address,
    Optional<String> namespace,
    Set<String> kvMounts,
    VaultAuth auth,
    Duration openTimeout,
    Duration readTimeout,
    Duration renewIncrement) {

  public VaultSettings {
    Objects.requireNonNull(address, "the Vault address is required, e.g. https://vault:8200");
    if (!"http".equals(address.getScheme()) && !"https".equals(address.getScheme())) {
      throw new IllegalArgumentException(
          "the Vault address must be an http or https URL, e.g. https://vault:8200: " + address);
    }
    Objects.requireNonNull(namespace, "namespace: use Optional.empty() for none");
    kvMounts = Set.copyOf(kvMounts);
    for (String mount : kvMounts) {
      if (mount.isEmpty() || mount.startsWith("/") || mount.endsWith("/")) {
        throw new IllegalArgumentException(
            "a KV mount is written without slashes at the ends, e.g. kv or secret: " + mount);
      }
    }
    Objects.requireNonNull(auth, "a Vault login method (AppRole or JWT) is required");
    // The driver counts timeouts in whole seconds.
    requireSeconds(openTimeout, "openTimeout");
    requireSeconds(readTimeout, "readTimeout");
    requireSeconds(renewIncrement, "renewIncrement");
  }

  /** Settings with the {@code kv} mount, 5 s to connect, 30 s to answer and 1 h renewals. */
  public static VaultSettings of(URI address, VaultAuth auth) {
    return new VaultSettings(
        address,
        Optional.empty(),
        Set.of("kv"),
        auth,
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofHours(1));
  }

  public VaultSettings withNamespace(String value) {
    return new VaultSettings(
        address, Optional.of(value), kvMounts, auth, openTimeout, readTimeout, renewIncrement);
  }

  public VaultSettings withKvMounts(Set<String> value) {
    return new VaultSettings(
        address, namespace, value, auth, openTimeout, readTimeout, renewIncrement);
  }

  public VaultSettings withTimeouts(Duration open, Duration read) {
    return new VaultSettings(address, namespace, kvMounts, auth, open, read, renewIncrement);
  }

  public VaultSettings withRenewIncrement(Duration value) {
    return new VaultSettings(address, namespace, kvMounts, auth, openTimeout, readTimeout, value);
  }

  private static void requireSeconds(Duration value, String name) {
    if (value == null || value.toSeconds() < 1) {
      throw new IllegalArgumentException(name + " must be at least one second: " + value);
    }
  }
}
