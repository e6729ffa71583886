package io.hodei.server.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A plugin file as last seen in the plugins directory. Size, modification time and file key
 * together tell whether it changed since: a rewrite or a replacement changes at least one of them.
 *
 * @param path the file
 * @param size its size in bytes
 * @param modified its last modification time
 * @param fileKey the file system's identity of the file (an inode), when it has one
 */
record PluginFile(Path path, long size, Instant modified, String fileKey) {

  /** Whether {@code path} names something the host loads: a jar or a zip, not a hidden file. */
  static boolean isCandidate(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return !name.startsWith(".") && (name.endsWith(".jar") || name.endsWith(".zip"));
  }

  /** The file as it is now, or empty when it vanished or is not a regular file. */
  static Optional<PluginFile> look(Path path) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return Optional.empty();
      }
      Object key = attributes.fileKey();
      return Optional.of(
          new PluginFile(
              path,
              attributes.size(),
              attributes.lastModifiedTime().toInstant(),
              key == null ? "" : key.toString()));
    } catch (IOException e) {
      // Removed between the directory listing and this look: the next scan sees it gone.
      return Optional.empty();
    }
  }

  boolean isZip() {
    return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  String fileName() {
    return path.getFileName().toString();
  }
}
