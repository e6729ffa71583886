package io.hodei.credentials.store;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where the embedded store keeps its encrypted records; the server implements it over PostgreSQL.
 * Sees ciphertext only.
 */
public interface SecretRecords {

  /**
   * Adds a new version.
   *
   * @throws IllegalStateException when that name and version already exist (a concurrent write)
   */
  void insert(SecretRecord record);

  /** Overwrites an existing name and version with a re-encrypted record. */
  void replace(SecretRecord record);

  /** Every version of {@code name}, oldest first; empty when there is none. */
  List<SecretRecord> versions(String name);

  /** The newest version of {@code name}. */
  Optional<SecretRecord> latest(String name);

  /** The names of all stored secrets. */
  List<String> names();

  /**
   * Every version of every secret whose name starts with {@code prefix}, by name in order, each
   * oldest first. This default asks once per name; a database should answer in one query.
   */
  default SortedMap<String, List<SecretRecord>> versionsUnder(String prefix) {
    SortedMap<String, List<SecretRecord>> found = new TreeMap<>();
    for (String name : names()) {
      if (name.startsWith(prefix)) {
        found.put(name, versions(name));
      }
    }
    return found;
  }

  /** Removes every version of {@code name}; returns whether there was any. */
  boolean delete(String name);
}
