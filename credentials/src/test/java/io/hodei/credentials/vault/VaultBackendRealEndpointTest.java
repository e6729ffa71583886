package io.hodei.credentials.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hodei.credentials.BackendException;
import io.hodei.credentials.BackendException.Kind;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretReference;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake's scenarios against a real Vault, when HODEI_IT_VAULT_ADDR, HODEI_IT_VAULT_ROLE_ID,
 * HODEI_IT_VAULT_SECRET_ID and HODEI_IT_VAULT_KV_REF (e.g. vault:kv/ci/test) are set;
 * HODEI_IT_VAULT_DYNAMIC_REF (e.g. vault:database/creds/readonly) adds the lease scenario.
 */
class VaultBackendRealEndpointTest {

  private VaultBackend backend;

  @BeforeEach
  void connect() {
    String address = System.getenv("HODEI_IT_VAULT_ADDR");
    assumeTrue(
        address != null && !address.isBlank(),
        "no real Vault: set HODEI_IT_VAULT_ADDR, HODEI_IT_VAULT_ROLE_ID, HODEI_IT_VAULT_SECRET_ID"
            + " and HODEI_IT_VAULT_KV_REF to run these scenarios against one");
    backend =
        new VaultBackend(
            VaultSettings.of(
                URI.create(address),
                new VaultAuth.AppRole(
                    "approle",
                    System.getenv("HODEI_IT_VAULT_ROLE_ID"),
                    () -> System.getenv("HODEI_IT_VAULT_SECRET_ID"))));
  }

  @Test
  void readsKvSecret() {
    Secret secret = backend.read(SecretReference.parse(System.getenv("HODEI_IT_VAULT_KV_REF")));

    assertThat(secret.fields()).isNotEmpty();
    assertThat(secret.version()).matches("[0-9]+");
  }

  @Test
  void missingSecretIsNotFound() {
    assertThatThrownBy(() -> backend.read(SecretReference.parse("vault:kv/hodei-it/missing")))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isIn(Kind.NOT_FOUND, Kind.DENIED));
  }

  @Test
  void dynamicSecretIsRenewedAndRevoked() {
    String dynamic = System.getenv("HODEI_IT_VAULT_DYNAMIC_REF");
    assumeTrue(
        dynamic != null && !dynamic.isBlank(),
        "no dynamic engine given: set HODEI_IT_VAULT_DYNAMIC_REF to run the lease scenario");
    Secret secret = backend.read(SecretReference.parse(dynamic));
    assertThat(secret.lease()).isPresent();

    Secret renewed = backend.renew(secret);
    backend.revoke(renewed);

    assertThatThrownBy(() -> backend.renew(renewed))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.LEASE_EXPIRED));
  }
}
