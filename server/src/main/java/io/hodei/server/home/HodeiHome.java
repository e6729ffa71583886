package io.hodei.server.home;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The directory where Hodei keeps its state on this machine: the embedded database, plugins, the
 * admin token. {@code HODEI_HOME} (or the {@code hodei.home} system property) sets it; the default
 * is {@code ~/.hodei}.
 */
public record HodeiHome(Path root) {

  public static HodeiHome resolve() {
    String configured = System.getProperty("hodei.home");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("HODEI_HOME");
    }
    Path root =
        configured == null || configured.isBlank()
            ? Path.of(System.getProperty("user.home"), ".hodei")
            : Path.of(configured);
    HodeiHome home = new HodeiHome(root.toAbsolutePath().normalize());
    home.ensureExists();
    // Quarkus reads it as config; set it so every component agrees on one home.
    System.setProperty("hodei.home", home.root().toString());
    return home;
  }

  public Path resolve(String child) {
    return root.resolve(child);
  }

  private void ensureExists() {
    try {
      if (!Files.isDirectory(root)) {
        Files.createDirectories(root);
        ownerOnly(root);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Hodei home " + root, e);
    }
  }

  /** Restricts a file or directory to its owner, where the file system has POSIX permissions. */
  public static void ownerOnly(Path path) throws IOException {
    if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    String mode = Files.isDirectory(path) ? "rwx------" : "rw-------";
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
  }
}
