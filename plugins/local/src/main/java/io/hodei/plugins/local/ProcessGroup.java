package io.hodei.plugins.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The processes of one worker's session. A worker is started as the leader of a new session (with
 * {@code setsid}), so its process group id is its own pid and every process its jobs start inherits
 * it. The group outlives the agent: when an agent is killed, its jobs are re-parented and no longer
 * its descendants, but they are still in its group, and can still be ended.
 */
final class ProcessGroup {

  private static final Path PROC = Path.of("/proc");
  private static final List<Path> SETSID =
      List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

  private ProcessGroup() {}

  /**
   * The command that starts {@code arguments} as a new session leader, when {@code setsid} is
   * there. It does not fork (a freshly started child is never a group leader), so the pid the JVM
   * sees is the worker's own.
   */
  static Optional<String> setsid() {
    return SETSID.stream().filter(Files::isExecutable).map(Path::toString).findFirst();
  }

  /**
   * The live processes of the group {@code groupId} that started no earlier than {@code notBefore};
   * the start time guards against a later, unrelated group that reused the id.
   */
  static List<ProcessHandle> members(long groupId, Instant notBefore) {
    if (!Files.isDirectory(PROC)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(PROC)) {
      return entries
          .map(path -> path.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .filter(pid -> groupOf(pid) == groupId)
          .map(pid -> ProcessHandle.of(Long.parseLong(pid)))
          .flatMap(Optional::stream)
          .filter(
              process ->
                  process
                      .info()
                      .startInstant()
                      .map(start -> !start.isBefore(notBefore))
                      .orElse(false))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The process group of a pid, from {@code /proc/<pid>/stat}; -1 when unknown or gone. */
  private static long groupOf(String pid) {
    try {
      String stat = Files.readString(PROC.resolve(pid).resolve("stat"));
      // Fields after the command name, which is in parentheses and may itself hold spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
