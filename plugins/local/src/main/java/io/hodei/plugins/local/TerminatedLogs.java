package io.hodei.plugins.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps the logs of the last few terminated workers in {@code <workDir>/.logs}, because a worker
 * that never registered is terminated by the host, and its log is the one clue why.
 */
final class TerminatedLogs {

  /** Starts with a dot, which no worker id does, so it never clashes with a worker directory. */
  static final String DIRECTORY = ".logs";

  private final Path directory;
  private final int keep;

  TerminatedLogs(Path workDir, int keep) {
    this.directory = workDir.resolve(DIRECTORY);
    this.keep = keep;
  }

  Path directory() {
    return directory;
  }

  /** Moves the worker's log aside and drops the oldest beyond the limit. */
  void keep(String workerId, Path log) throws IOException {
    if (keep == 0 || !Files.exists(log)) {
      return;
    }
    Files.createDirectories(directory);
    Files.move(log, directory.resolve(workerId + ".log"), StandardCopyOption.REPLACE_EXISTING);
    List<Path> logs;
    try (Stream<Path> files = Files.list(directory)) {
      logs = files.sorted(Comparator.comparing(TerminatedLogs::modified).reversed()).toList();
    }
    for (Path old : logs.subList(Math.min(keep, logs.size()), logs.size())) {
      Files.deleteIfExists(old);
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      // Gone meanwhile: sort it as oldest, deleteIfExists copes.
      return FileTime.fromMillis(0);
    }
  }
}
