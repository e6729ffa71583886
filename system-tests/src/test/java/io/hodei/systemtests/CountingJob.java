package io.hodei.systemtests;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A job that prints {@code lines} numbered lines half a second apart, so it runs long enough to be
 * interrupted and its log shows whether any line was lost or stored twice.
 */
public record CountingJob(String name, int lines) {

  /** The job spec to submit. */
  public Map<String, Object> spec() {
    return Map.of(
        "name",
        name,
        "command",
        "for i in $(seq 1 " + lines + "); do echo \"" + name + " line $i\"; sleep 0.5; done");
  }

  /** The stdout lines a complete run prints, in order. */
  public List<String> expectedLines() {
    return IntStream.rangeClosed(1, lines).mapToObj(i -> name + " line " + i).toList();
  }
}
