package io.hodei.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fresh Hodei home directories under {@code target/homes}, one per server a test starts. They are
 * kept after the run: the server's log, its database and its workers' logs are the evidence when a
 * test fails.
 */
public final class TestHomes {

  private TestHomes() {}

  /** A new, empty home whose name starts with {@code name}. */
  public static Path create(String name) {
    String root = System.getProperty("hodei.test.homes");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException(
          "system property hodei.test.homes is not set; run the tests through Maven,"
              + " whose pom sets it");
    }
    try {
      Path parent = Files.createDirectories(Path.of(root));
      return Files.createTempDirectory(parent, name + "-").toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a home under " + root, e);
    }
  }
}
