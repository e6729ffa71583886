package io.hodei.credentials.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.credentials.BackendException;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretReference;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedSecretStoreTest {

  private static final String PLAINTEXT = "registry-password-4f9c2d";
  private static final SecretReference REGISTRY = SecretReference.parse("local:docker-registry");

  private final SecureRandom random = new SecureRandom();
  private final InMemorySecretRecords records = new InMemorySecretRecords();
  private final MasterKey key = MasterKey.generate(random);
  private final EmbeddedSecretStore store =
      new EmbeddedSecretStore(
          records,
          key,
          List.of(),
          Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC),
          random);

  @Test
  void readsBackTheLatestVersionOfWhatWasStored() {
    store.create("docker-registry", Map.of("username", "ci", "password", PLAINTEXT));
    store.rotate("docker-registry", Map.of("username", "ci", "password", "rotated-7b1e"));

    Secret secret = store.read(REGISTRY);

    assertThat(secret.fields()).containsEntry("password", "rotated-7b1e");
    assertThat(secret.version()).isEqualTo("2");
    assertThat(secret.lease()).isEmpty();
    assertThat(store.versions("docker-registry"))
        .extracting(EmbeddedSecretStore.VersionInfo::version)
        .containsExactly(1, 2);
  }

  @Test
  void putCreatesThenRotatesAndConcurrentPutsEachGetTheirOwnVersion() throws Exception {
    assertThat(store.put("shared-db", Map.of("value", "first")).version()).isEqualTo(1);
    assertThat(store.put("shared-db", Map.of("value", "second")).version()).isEqualTo(2);

    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<EmbeddedSecretStore.VersionInfo>> puts =
          new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        puts.add(pool.submit(() -> store.put("fresh", Map.of("value", "same"))));
      }
      List<Integer> versions = new java.util.ArrayList<>();
      for (var put : puts) {
        versions.add(put.get().version());
      }
      assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void putTakesTheNextVersionWhenAnotherStoreOnTheSameRecordsWroteFirst() {
    EmbeddedSecretStore other =
        new EmbeddedSecretStore(records, key, List.of(), Clock.systemUTC(), random);
    SecretRecords racing =
        new SecretRecords() {
          private boolean raced;

          @Override
          public void insert(SecretRecord record) {
            if (!raced) {
              raced = true;
              // The other store writes this very version between our read and our insert.
              other.put(record.name(), Map.of("value", "theirs"));
            }
            records.insert(record);
          }

          @Override
          public void replace(SecretRecord record) {
            records.replace(record);
          }

          @Override
          public List<SecretRecord> versions(String name) {
            return records.versions(name);
          }

          @Override
          public java.util.Optional<SecretRecord> latest(String name) {
            return records.latest(name);
          }

          @Override
          public List<String> names() {
            return records.names();
          }

          @Override
          public boolean delete(String name) {
            return records.delete(name);
          }
        };
    EmbeddedSecretStore mine =
        new EmbeddedSecretStore(racing, key, List.of(), Clock.systemUTC(), random);

    assertThat(mine.put("contended", Map.of("value", "mine")).version()).isEqualTo(2);
    assertThat(mine.read(SecretReference.parse("local:contended")).fields())
        .containsEntry("value", "mine");
  }

  @Test
  void versionsUnderAPrefixListOnlyThoseNamesWithTheirVersionsAndNoValues() {
    store.create("tenants/acme/db", Map.of("value", "one"));
    store.rotate("tenants/acme/db", Map.of("value", "two"));
    store.create("tenants/acme/api", Map.of("value", "three"));
    store.create("tenants/acme_x/db", Map.of("value", "four"));
    store.create("shared", Map.of("value", "five"));

    var acme = store.versionsUnder("tenants/acme/");

    assertThat(acme).containsOnlyKeys("tenants/acme/api", "tenants/acme/db");
    assertThat(acme.get("tenants/acme/db"))
        .extracting(EmbeddedSecretStore.VersionInfo::version)
        .containsExactly(1, 2);
    assertThat(store.versionsUnder("")).hasSize(4);
  }

  @Test
  void theDatabaseNeverHoldsPlaintext() {
    store.create("docker-registry", Map.of("password", PLAINTEXT));
    store.rotate("docker-registry", Map.of("password", PLAINTEXT + "-2"));

    assertThat(records.stored()).hasSize(2);
    for (SecretRecord record : records.stored()) {
      String stored = new String(record.ciphertext(), StandardCharsets.ISO_8859_1);
      assertThat(stored).doesNotContain(PLAINTEXT).doesNotContain("password");
      assertThat(record.nonce()).hasSize(12);
      assertThat(record.keyId()).isEqualTo(key.id());
      assertThat(record.toString()).doesNotContain(PLAINTEXT);
    }
    assertThat(records.stored().get(0).nonce()).isNotEqualTo(records.stored().get(1).nonce());
  }

  @Test
  void aRecordMovedUnderAnotherNameDoesNotDecrypt() {
    store.create("docker-registry", Map.of("password", PLAINTEXT));
    records.copyUnderName(records.stored().get(0), "other");

    assertThatThrownBy(() -> store.read(SecretReference.parse("local:other")))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("altered or moved");
  }

  @Test
  void rotatingTheMasterKeyReEncryptsEveryRecord() {
    store.create("docker-registry", Map.of("password", PLAINTEXT));
    store.rotate("docker-registry", Map.of("password", "second"));
    store.create("npm", Map.of("value", "npm-token"));
    List<SecretRecord> before = records.stored();
    MasterKey next = MasterKey.generate(random);

    store.rotateMasterKey(next);

    assertThat(records.stored()).allSatisfy(r -> assertThat(r.keyId()).isEqualTo(next.id()));
    assertThat(records.stored()).doesNotContainAnyElementsOf(before);
    EmbeddedSecretStore reopened =
        new EmbeddedSecretStore(records, next, List.of(), Clock.systemUTC(), random);
    assertThat(reopened.read(REGISTRY).fields()).containsEntry("password", "second");
    assertThat(reopened.read(SecretReference.parse("local:npm")).fields())
        .containsEntry("value", "npm-token");
  }

  @Test
  void aMasterKeyRotationCutShortLeavesEveryRecordReadableAndCanBeFinished() {
    store.create("a", Map.of("value", "1"));
    store.create("b", Map.of("value", "2"));
    MasterKey next = MasterKey.generate(random);
    records.failReplaceAfter(1);

    assertThatThrownBy(() -> store.rotateMasterKey(next)).hasMessageContaining("connection lost");
    assertThat(store.read(SecretReference.parse("local:b")).fields()).containsEntry("value", "2");

    EmbeddedSecretStore restarted =
        new EmbeddedSecretStore(records, next, List.of(key), Clock.systemUTC(), random);
    restarted.rotateMasterKey(next);
    assertThat(records.stored()).allSatisfy(r -> assertThat(r.keyId()).isEqualTo(next.id()));
  }

  @Test
  void aRecordUnderAnUnknownKeySaysWhichKeyIsMissing() {
    store.create("a", Map.of("value", "1"));
    EmbeddedSecretStore wrongKey =
        new EmbeddedSecretStore(
            records, MasterKey.generate(random), List.of(), Clock.systemUTC(), random);

    assertThatThrownBy(() -> wrongKey.read(SecretReference.parse("local:a")))
        .hasMessageContaining(key.id())
        .hasMessageContaining("previous key");
  }

  @Test
  void managementOperationsCheckTheirInput() {
    store.create("a", Map.of("value", "1"));
    assertThatThrownBy(() -> store.create("a", Map.of("value", "2")))
        .hasMessageContaining("rotate it");
    assertThatThrownBy(() -> store.rotate("missing", Map.of("value", "2")))
        .hasMessageContaining("create it");
    assertThatThrownBy(() -> store.create("b", Map.of())).hasMessageContaining("field 'value'");
    assertThat(store.delete("a")).isTrue();
    assertThatThrownBy(() -> store.read(SecretReference.parse("local:a")))
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.NOT_FOUND));
  }
}
