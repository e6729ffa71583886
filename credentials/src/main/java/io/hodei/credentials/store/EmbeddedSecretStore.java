package io.hodei.credentials.store;

import io.hodei.credentials.BackendException;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretBackend;
import io.hodei.credentials.SecretReference;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The default secret backend ({@code local:<name>}): versioned secrets encrypted with AES-256-GCM
 * under a master key, in records kept by a {@link SecretRecords} port. Values go in through {@link
 * #create} and {@link #rotate} and come out only through {@link #read}, for the broker; the
 * management operations return metadata, never values.
 */
public final class EmbeddedSecretStore implements SecretBackend {

  public static final String SCHEME = "local";

  private static final int MAX_PUT_ATTEMPTS = 5;

  private final SecretRecords records;
  private final SecretCipher cipher;
  private final Clock clock;
  // Older keys stay known so that a master key rotation cut short leaves every record readable.
  private final Map<String, MasterKey> keys = new HashMap<>();
  private MasterKey current;

  public EmbeddedSecretStore(
      SecretRecords records,
      MasterKey key,
      List<MasterKey> previousKeys,
      Clock clock,
      SecureRandom random) {
    this.records = records;
    this.cipher = new SecretCipher(random);
    this.clock = clock;
    previousKeys.forEach(previous -> keys.put(previous.id(), previous));
    keys.put(key.id(), key);
    this.current = key;
  }

  /** One stored version, without its value. */
  public record VersionInfo(String name, int version, Instant createdAt, String keyId) {}

  @Override
  public String scheme() {
    return SCHEME;
  }

  /** Stores the first version of a new secret. */
  public synchronized VersionInfo create(String name, Map<String, String> fields) {
    validate(name, fields);
    if (records.latest(name).isPresent()) {
      throw new IllegalStateException(
          "secret '" + name + "' already exists; rotate it to store a new version");
    }
    return write(name, 1, fields);
  }

  /** Stores a new version of an existing secret; readers get it from now on. */
  public synchronized VersionInfo rotate(String name, Map<String, String> fields) {
    validate(name, fields);
    SecretRecord latest =
        records
            .latest(name)
            .orElseThrow(
                () -> new IllegalStateException("secret '" + name + "' does not exist; create it"));
    return write(name, latest.version() + 1, fields);
  }

  /**
   * Stores {@code fields} as the secret's next version, or as version 1 when there is none: create
   * or rotate in one step, so that writers racing for the same name each get a version of their own
   * and none an error. Version 1 in the answer means the secret was created.
   */
  public synchronized VersionInfo put(String name, Map<String, String> fields) {
    validate(name, fields);
    for (int attempt = 1; ; attempt++) {
      int next = records.latest(name).map(latest -> latest.version() + 1).orElse(1);
      try {
        return write(name, next, fields);
      } catch (IllegalStateException taken) {
        // Another store on the same records wrote that version first: take the next one.
        if (attempt == MAX_PUT_ATTEMPTS) {
          throw taken;
        }
      }
    }
  }

  /** Removes every version of a secret; returns whether it existed. */
  public synchronized boolean delete(String name) {
    return records.delete(name);
  }

  /** The versions of a secret, oldest first, without values. */
  public synchronized List<VersionInfo> versions(String name) {
    return records.versions(name).stream().map(EmbeddedSecretStore::info).toList();
  }

  public synchronized List<String> names() {
    return records.names();
  }

  /** The versions of every secret under {@code prefix}, by name, without values. */
  public synchronized SortedMap<String, List<VersionInfo>> versionsUnder(String prefix) {
    SortedMap<String, List<VersionInfo>> found = new TreeMap<>();
    records
        .versionsUnder(prefix)
        .forEach(
            (name, versions) ->
                found.put(name, versions.stream().map(EmbeddedSecretStore::info).toList()));
    return found;
  }

  /** The latest version; embedded secrets have no lease, the broker re-reads them periodically. */
  @Override
  public synchronized Secret read(SecretReference reference) {
    if (!SCHEME.equals(reference.backend())) {
      throw new BackendException(
          BackendException.Kind.INVALID,
          "the embedded store serves local: references, not " + reference);
    }
    SecretRecord record =
        records
            .latest(reference.path())
            .orElseThrow(
                () ->
                    new BackendException(
                        BackendException.Kind.NOT_FOUND,
                        "no embedded secret named '" + reference.path() + "'; create it first"));
    Map<String, String> fields = decrypt(record);
    return new Secret(reference, fields, Integer.toString(record.version()), Optional.empty());
  }

  @Override
  public Secret renew(Secret secret) {
    return read(secret.reference());
  }

  @Override
  public void revoke(Secret secret) {
    // Stored secrets have no lease to end; the value stays until deleted.
  }

  @Override
  public void close() {
    // The records port belongs to whoever created it.
  }

  /**
   * Re-encrypts every record under {@code next} and makes it the current key. If this fails half
   * way, records under either key stay readable; run it again to finish.
   */
  public synchronized void rotateMasterKey(MasterKey next) {
    keys.put(next.id(), next);
    for (String name : records.names()) {
      for (SecretRecord record : records.versions(name)) {
        if (!record.keyId().equals(next.id())) {
          Map<String, String> fields = decrypt(record);
          records.replace(cipher.encrypt(next, name, record.version(), fields, record.createdAt()));
        }
      }
    }
    current = next;
  }

  public synchronized String currentKeyId() {
    return current.id();
  }

  private VersionInfo write(String name, int version, Map<String, String> fields) {
    SecretRecord record = cipher.encrypt(current, name, version, fields, clock.instant());
    records.insert(record);
    return info(record);
  }

  private Map<String, String> decrypt(SecretRecord record) {
    MasterKey key = keys.get(record.keyId());
    if (key == null) {
      throw new BackendException(
          BackendException.Kind.INVALID,
          record
              + " was encrypted with master key "
              + record.keyId()
              + ", which this store was not given; start it with that key as a previous key");
    }
    try {
      return cipher.decrypt(key, record);
    } catch (IllegalStateException e) {
      throw new BackendException(BackendException.Kind.INVALID, e.getMessage(), e);
    }
  }

  private static void validate(String name, Map<String, String> fields) {
    new SecretReference(SCHEME, name); // the same naming rules as a reference's path
    if (fields.isEmpty()) {
      throw new IllegalArgumentException(
          "a secret has at least one field; a single value goes in the field 'value'");
    }
  }

  private static VersionInfo info(SecretRecord record) {
    return new VersionInfo(record.name(), record.version(), record.createdAt(), record.keyId());
  }
}
