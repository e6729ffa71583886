package io.hodei.server.credentials;

import io.hodei.credentials.SecretBackend;
import io.hodei.credentials.aws.AwsSecretsManagerBackend;
import io.hodei.credentials.aws.AwsSecretsManagerSettings;
import io.hodei.credentials.broker.BrokerSettings;
import io.hodei.credentials.broker.CredentialBroker;
import io.hodei.credentials.broker.ExecutorBrokerScheduler;
import io.hodei.credentials.broker.Sleeper;
import io.hodei.credentials.store.EmbeddedSecretStore;
import io.hodei.credentials.store.MasterKey;
import io.hodei.credentials.vault.VaultAuth;
import io.hodei.credentials.vault.VaultBackend;
import io.hodei.credentials.vault.VaultSettings;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Builds the installation's one credential broker and its backends from {@link CredentialsConfig}.
 */
public class BrokerProducer {

  private static final Logger LOG = Logger.getLogger(BrokerProducer.class);

  @Produces
  @Singleton
  EmbeddedSecretStore embeddedStore(
      CredentialsConfig config, PgSecretRecords records, Clock clock) {
    SecureRandom random = new SecureRandom();
    MasterKey current =
        MasterKey.fromEnvironment(System.getenv())
            .orElseGet(() -> MasterKey.fromFile(Path.of(config.masterKeyFile()), random));
    List<MasterKey> previous = new ArrayList<>();
    for (String file : config.previousMasterKeyFiles().orElse(List.of())) {
      previous.add(MasterKey.fromFile(Path.of(file), random));
    }
    EmbeddedSecretStore store = new EmbeddedSecretStore(records, current, previous, clock, random);
    if (!previous.isEmpty()) {
      // Idempotent: only records under an older key are rewritten, so a cut-short run resumes.
      store.rotateMasterKey(current);
      LOG.infof("Re-encrypted the embedded secrets under master key %s", current.id());
    }
    return store;
  }

  @Produces
  @Singleton
  CredentialBroker broker(
      CredentialsConfig config,
      EmbeddedSecretStore embedded,
      CredentialPolicy policy,
      PgAuditLog audit,
      Clock clock) {
    List<SecretBackend> backends = new ArrayList<>();
    backends.add(embedded);
    config.vault().map(BrokerProducer::vault).ifPresent(backends::add);
    config.aws().map(BrokerProducer::aws).ifPresent(backends::add);
    BrokerSettings settings =
        BrokerSettings.defaults()
            .withUnleasedTtl(config.unleasedTtl())
            .withMaxStaleness(config.maxStaleness());
    CredentialBroker broker =
        new CredentialBroker(
            backends,
            policy.current(),
            audit,
            settings,
            clock,
            new ExecutorBrokerScheduler(),
            Sleeper.REAL,
            () -> ThreadLocalRandom.current().nextDouble());
    policy.attach(broker);
    return broker;
  }

  void close(@Disposes CredentialBroker broker) {
    broker.close();
  }

  private static SecretBackend vault(CredentialsConfig.Vault vault) {
    VaultAuth auth =
        switch (vault.auth().orElse("approle")) {
          case "approle" ->
              new VaultAuth.AppRole(
                  vault.authMount().orElse("approle"),
                  vault.roleId().orElseThrow(() -> missing("role-id", "approle")),
                  fileReader(
                      vault
                          .secretIdFile()
                          .orElseThrow(() -> missing("secret-id-file", "approle"))));
          case "jwt" ->
              new VaultAuth.Jwt(
                  vault.authMount().orElse("jwt"),
                  vault.jwtRole().orElseThrow(() -> missing("jwt-role", "jwt")),
                  fileReader(vault.jwtFile().orElseThrow(() -> missing("jwt-file", "jwt"))));
          default ->
              throw new IllegalArgumentException(
                  "hodei.credentials.vault.auth is approle or jwt, not '"
                      + vault.auth().get()
                      + "'");
        };
    return new VaultBackend(
        new VaultSettings(
            URI.create(vault.address()),
            vault.namespace(),
            new HashSet<>(vault.kvMounts().orElse(List.of("kv", "secret"))),
            auth,
            vault.openTimeout().orElse(Duration.ofSeconds(5)),
            vault.readTimeout().orElse(Duration.ofSeconds(30)),
            vault.renewIncrement().orElse(Duration.ofHours(1))));
  }

  private static SecretBackend aws(CredentialsConfig.Aws aws) {
    return new AwsSecretsManagerBackend(
        new AwsSecretsManagerSettings(
            Region.of(aws.region()),
            aws.endpoint().map(URI::create),
            DefaultCredentialsProvider.builder().build(),
            aws.connectTimeout().orElse(Duration.ofSeconds(5)),
            aws.callTimeout().orElse(Duration.ofSeconds(30))));
  }

  private static IllegalArgumentException missing(String key, String method) {
    return new IllegalArgumentException(
        "hodei.credentials.vault." + key + " is required for Vault " + method + " login");
  }

  /** Reads the file at each login, so that a rotated secret id or token is picked up. */
  private static Supplier<String> fileReader(String file) {
    return () -> {
      try {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    };
  }
}
