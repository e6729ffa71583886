package io.hodei.server.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The plugins directory as a sequence of snapshots. A file counts as present only once it has
 * settled: unchanged in size since the previous scan and not modified for a quiet period, so that a
 * file still being copied is not loaded half-written.
 */
final class PluginsDirectory {

  private final Path directory;
  private final Duration quietPeriod;
  private final Clock clock;
  private final Map<Path, PluginFile> lastSeen = new HashMap<>();

  PluginsDirectory(Path directory, Duration quietPeriod, Clock clock) {
    this.directory = directory;
    this.quietPeriod = quietPeriod;
    this.clock = clock;
  }

  Path path() {
    return directory;
  }

  /** Creates the directory if needed. */
  void ensureExists() {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the plugins directory "
              + directory
              + "; create it, or point hodei.plugins.dir at a writable directory",
          e);
    }
  }

  /**
   * The settled plugin files now, and every candidate file present at all (settled or not), so the
   * caller can tell a removed file from one still being written.
   */
  Snapshot scan() {
    Map<Path, PluginFile> present = new HashMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path path : files.filter(PluginFile::isCandidate).toList()) {
        PluginFile.look(path).ifPresent(file -> present.put(path, file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the plugins directory " + directory, e);
    }
    List<PluginFile> settled =
        present.values().stream().filter(file -> settled(file, lastSeen.get(file.path()))).toList();
    lastSeen.clear();
    lastSeen.putAll(present);
    return new Snapshot(settled, present.keySet());
  }

  private boolean settled(PluginFile now, PluginFile before) {
    boolean quiet = !now.modified().plus(quietPeriod).isAfter(clock.instant());
    boolean sameSize = before == null || before.size() == now.size();
    return quiet && sameSize;
  }

  /**
   * One scan's result.
   *
   * @param settled files ready to load
   * @param present every candidate file in the directory, settled or not
   */
  record Snapshot(List<PluginFile> settled, Set<Path> present) {}
}
