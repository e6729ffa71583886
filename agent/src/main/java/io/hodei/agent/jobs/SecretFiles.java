package io.hodei.agent.jobs;

import io.hodei.protocol.v1.SecretFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The secret files of one job attempt: written into a directory of their own, readable by the
 * agent's user only (0700 directories, 0600 files), outside the job's working directory so that
 * nothing that packs up the workspace picks them up, and deleted when the attempt ends.
 */
final class SecretFiles implements AutoCloseable {

  /** Under the agent's work directory; holds one directory per attempt with secret files. */
  static final String ROOT = ".secrets";

  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  private final Path directory;

  private SecretFiles(Path directory) {
    this.directory = directory;
  }

  /**
   * Writes {@code files} into a fresh directory for this attempt under {@code workDir}.
   *
   * @throws IllegalArgumentException when a path could leave the directory (the server checks this
   *     too; the agent does not trust it blindly)
   * @throws IOException when the files cannot be written; whatever was written is deleted
   */
  static SecretFiles write(Path workDir, String jobId, int attempt, List<SecretFile> files)
      throws IOException {
    for (SecretFile file : files) {
      requireRelative(file.getPath());
    }
    Path root = ownerOnlyDirectory(workDir.toAbsolutePath().normalize().resolve(ROOT));
    Path directory = root.resolve(JobWorkspace.safeName(jobId) + "-" + attempt);
    // A directory left by an agent that died mid-job holds stale secrets; start clean.
    deleteTree(directory);
    Files.createDirectory(directory, ownerOnly(OWNER_DIR));
    SecretFiles written = new SecretFiles(directory);
    try {
      for (SecretFile file : files) {
        written.writeOne(file);
      }
    } catch (IOException | RuntimeException e) {
      written.close();
      throw e;
    }
    return written;
  }

  /** Deletes the secret directories every earlier run of the agent left behind. */
  static void deleteLeftovers(Path workDir) throws IOException {
    deleteTree(workDir.toAbsolutePath().normalize().resolve(ROOT));
  }

  Path directory() {
    return directory;
  }

  /** Deletes the files and their directory; safe to call more than once. */
  @Override
  public void close() throws IOException {
    deleteTree(directory);
  }

  private void writeOne(SecretFile file) throws IOException {
    Path target = directory.resolve(file.getPath()).normalize();
    if (!target.startsWith(directory) || target.equals(directory)) {
      throw new IllegalArgumentException(
          "secret file '" + file.getPath() + "' would leave the secrets directory");
    }
    createParents(target.getParent());
    Files.createFile(target, ownerOnly(OWNER_FILE));
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
      file.getContent().writeTo(out);
    }
  }

  /** Creates top-down, so that each level gets owner-only permissions rather than the umask's. */
  private void createParents(Path deepest) throws IOException {
    Path relative = directory.relativize(deepest);
    Path current = directory;
    for (Path segment : relative) {
      current = current.resolve(segment);
      if (!Files.isDirectory(current)) {
        Files.createDirectory(current, ownerOnly(OWNER_DIR));
      }
    }
  }

  private static Path ownerOnlyDirectory(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      Files.createDirectories(path.getParent());
      Files.createDirectory(path, ownerOnly(OWNER_DIR));
    }
    // It may predate this agent, created with looser permissions.
    Files.setPosixFilePermissions(path, OWNER_DIR);
    return path;
  }

  private static void requireRelative(String path) {
    boolean valid = !path.isEmpty() && path.length() <= 255;
    for (String segment : path.split("/", -1)) {
      valid &= SEGMENT.matcher(segment).matches();
    }
    if (!valid) {
      throw new IllegalArgumentException(
          "secret file '"
              + path
              + "' is not a relative path of letters, digits, '.', '_' and '-' without '..'");
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> ownerOnly(
      Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException failure)
              throws IOException {
            deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteIfExists(Path path) throws IOException {
    try {
      Files.deleteIfExists(path);
    } catch (NoSuchFileException e) {
      // Gone already.
    }
  }
}
