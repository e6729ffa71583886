package io.hodei.server.plugins;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The optional list of plugin files the operator trusts, from {@code hodei.plugins.checksums}. Each
 * entry is either a SHA-256 in hex, which allows any file with that content, or {@code
 * file-name=sha256}, which allows that file name only with that content. With no entries at all,
 * every plugin file is allowed.
 */
record ChecksumAllowList(Set<String> anyName, Map<String, String> byName) {

  static final String KEY = "hodei.plugins.checksums";

  /** Allows everything. */
  static final ChecksumAllowList NONE = new ChecksumAllowList(Set.of(), Map.of());

  ChecksumAllowList {
    anyName = Set.copyOf(anyName);
    byName = Map.copyOf(byName);
  }

  /** Parses the configured entries; a malformed one is an error that names it. */
  static ChecksumAllowList parse(List<String> entries) {
    Set<String> anyName = new HashSet<>();
    Map<String, String> byName = new HashMap<>();
    for (String raw : entries) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int equals = entry.lastIndexOf('=');
      if (equals < 0) {
        anyName.add(hex(entry, raw));
      } else {
        String name = entry.substring(0, equals).trim();
        if (name.isEmpty()) {
          throw new IllegalArgumentException(
              KEY + ": entry '" + raw + "' has no file name before '='");
        }
        byName.put(name, hex(entry.substring(equals + 1).trim(), raw));
      }
    }
    return new ChecksumAllowList(anyName, byName);
  }

  boolean enabled() {
    return !anyName.isEmpty() || !byName.isEmpty();
  }

  /** Why the file may not be loaded, or empty when it may. */
  Optional<String> refusal(String fileName, String sha256) {
    if (!enabled()) {
      return Optional.empty();
    }
    String expected = byName.get(fileName);
    if (expected != null) {
      return expected.equals(sha256)
          ? Optional.empty()
          : Optional.of(
              "plugin file "
                  + fileName
                  + " has SHA-256 "
                  + sha256
                  + " but "
                  + KEY
                  + " expects "
                  + expected
                  + " for it; install the expected file or update the checksum");
    }
    if (anyName.contains(sha256)) {
      return Optional.empty();
    }
    return Optional.of(
        "plugin file "
            + fileName
            + " (SHA-256 "
            + sha256
            + ") is not in "
            + KEY
            + "; add its checksum there to allow it");
  }

  private static String hex(String value, String entry) {
    String lower = value.toLowerCase(Locale.ROOT);
    if (!lower.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          KEY
              + ": entry '"
              + entry
              + "' is not a SHA-256 (64 hex digits) nor file-name=SHA-256; compute one with"
              + " 'sha256sum <file>'");
    }
    return lower;
  }
}
