package io.hodei.credentials.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Keeps records in memory and lets a test see exactly what would be stored, and fail a write. */
public final class InMemorySecretRecords implements SecretRecords {

  private final Map<String, List<SecretRecord>> byName = new LinkedHashMap<>();
  private int replacesBeforeFailure = -1;

  /** Every stored record, as the database would hold it. */
  public synchronized List<SecretRecord> stored() {
    return byName.values().stream().flatMap(List::stream).toList();
  }

  /** The {@code n+1}-th replace from now fails, as a lost connection would. */
  public synchronized void failReplaceAfter(int n) {
    replacesBeforeFailure = n;
  }

  @Override
  public synchronized void insert(SecretRecord record) {
    List<SecretRecord> versions = byName.computeIfAbsent(record.name(), n -> new ArrayList<>());
    if (versions.stream().anyMatch(r -> r.version() == record.version())) {
      throw new IllegalStateException(record + " already exists");
    }
    versions.add(record);
    versions.sort(Comparator.comparingInt(SecretRecord::version));
  }

  @Override
  public synchronized void replace(SecretRecord record) {
    if (replacesBeforeFailure == 0) {
      replacesBeforeFailure = -1;
      throw new IllegalStateException("connection lost while replacing " + record);
    }
    if (replacesBeforeFailure > 0) {
      replacesBeforeFailure--;
    }
    List<SecretRecord> versions = byName.get(record.name());
    versions.replaceAll(r -> r.version() == record.version() ? record : r);
  }

  @Override
  public synchronized List<SecretRecord> versions(String name) {
    return List.copyOf(byName.getOrDefault(name, List.of()));
  }

  @Override
  public synchronized Optional<SecretRecord> latest(String name) {
    List<SecretRecord> versions = byName.getOrDefault(name, List.of());
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  @Override
  public synchronized List<String> names() {
    return List.copyOf(byName.keySet());
  }

  @Override
  public synchronized boolean delete(String name) {
    return byName.remove(name) != null;
  }

  /** Puts a record under another name, as a tampering database user might. */
  public synchronized void copyUnderName(SecretRecord record, String name) {
    byName.put(
        name,
        new ArrayList<>(
            List.of(
                new SecretRecord(
                    name,
                    record.version(),
                    record.nonce(),
                    record.ciphertext(),
                    record.keyId(),
                    record.createdAt()))));
  }
}
