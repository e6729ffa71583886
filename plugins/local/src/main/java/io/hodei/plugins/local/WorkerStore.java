package io.hodei.plugins.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The worker directories under the work dir: one per worker, named by its id. */
final class WorkerStore {

  /** Worker ids become directory names, so nothing that could climb out of the work dir. */
  /** The worker's own working directory inside its directory. */
  static final String WORK = "work";

  private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final System.Logger LOG = System.getLogger(WorkerStore.class.getName());

  private final Path workDir;

  WorkerStore(Path workDir) {
    this.workDir = workDir;
  }

  static boolean isValidWorkerId(String workerId) {
    return workerId != null && WORKER_ID.matcher(workerId).matches();
  }

  Path workDir() {
    return workDir;
  }

  Path directoryOf(String workerId) {
    return workDir.resolve(workerId);
  }

  /**
   * A new, owner-only directory for the worker, with its {@link #WORK} directory inside: the only
   * part of it the worker sees when sandboxed. The state file and the log stay out of its reach.
   */
  Path create(String workerId) throws IOException {
    Path directory = directoryOf(workerId);
    Files.createDirectories(directory);
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    Path work = directory.resolve(WORK);
    Files.createDirectories(work);
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
    return directory;
  }

  Optional<WorkerRecord> read(String workerId) throws IOException {
    if (!isValidWorkerId(workerId)) {
      return Optional.empty();
    }
    return WorkerRecord.read(directoryOf(workerId));
  }

  /**
   * Every readable record. A damaged one is logged and left for an operator: it may belong to
   * another installation, so removing it is not ours to decide.
   */
  List<WorkerRecord> readAll() throws IOException {
    List<WorkerRecord> records = new ArrayList<>();
    try (DirectoryStream<Path> directories =
        Files.newDirectoryStream(workDir, Files::isDirectory)) {
      for (Path directory : directories) {
        if (!isValidWorkerId(directory.getFileName().toString())) {
          continue;
        }
        try {
          WorkerRecord.read(directory).ifPresent(records::add);
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "skipping worker directory " + directory, e);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return records;
  }

  void delete(String workerId) throws IOException {
    deleteTree(directoryOf(workerId));
  }

  static void deleteTree(Path directory) throws IOException {
    if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
