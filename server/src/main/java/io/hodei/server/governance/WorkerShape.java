package io.hodei.server.governance;

import io.hodei.plugin.api.Resources;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A worker's shape read back from its row (written by the controller as {@code
 * image=...;cpuMillis=...;memoryMib=...;gpus=...;diskMib=...}): the image and size it was started
 * with.
 *
 * @param image its image; empty when it runs none
 * @param resources its size
 */
public record WorkerShape(Optional<String> image, Resources resources) {

  /** The shape of a stored shape string; empty when there is none or it cannot be read. */
  public static Optional<WorkerShape> parse(String shape) {
    if (shape == null) {
      return Optional.empty();
    }
    int sizes = shape.lastIndexOf(";cpuMillis=");
    if (!shape.startsWith("image=") || sizes < 0) {
      return Optional.empty();
    }
    String image = shape.substring("image=".length(), sizes);
    Map<String, Long> values = new HashMap<>();
    for (String part : shape.substring(sizes + 1).split(";")) {
      int equals = part.indexOf('=');
      if (equals < 0) {
        return Optional.empty();
      }
      try {
        values.put(part.substring(0, equals), Long.parseLong(part.substring(equals + 1)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    Resources resources =
        new Resources(
            values.getOrDefault("cpuMillis", 0L),
            values.getOrDefault("memoryMib", 0L),
            values.getOrDefault("gpus", 0L).intValue(),
            values.getOrDefault("diskMib", 0L));
    return Optional.of(
        new WorkerShape(image.isEmpty() ? Optional.empty() : Optional.of(image), resources));
  }
}
