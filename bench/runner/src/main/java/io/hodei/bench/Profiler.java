package io.hodei.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Records the server with Java Flight Recorder through {@code jcmd}, one recording per scenario,
 * and summarises where its CPU samples fall.
 */
final class Profiler {

  private static final String NAME = "hodei-bench";

  private final long pid;
  private final String jcmd;

  Profiler(long pid) {
    this.pid = pid;
    this.jcmd = Path.of(ServerProcess.javaCommand()).resolveSibling("jcmd").toString();
  }

  void start() throws IOException, InterruptedException {
    jcmd("JFR.start", "name=" + NAME, "settings=profile");
  }

  void stop(Path file) throws IOException, InterruptedException {
    jcmd("JFR.stop", "name=" + NAME, "filename=" + file);
  }

  /**
   * The hottest methods by own samples, and the hottest project methods by inclusive samples (any
   * sample with the method anywhere on its stack).
   */
  static String summary(Path file, int top) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(method(frames.get(0)), 1, Integer::sum);
      frames.stream()
          .map(Profiler::method)
          .filter(m -> m.startsWith("io.hodei."))
          .distinct()
          .forEach(m -> inclusive.merge(m, 1, Integer::sum));
      String thread =
          event.getThread("sampledThread") == null
              ? "?"
              : event.getThread("sampledThread").getJavaName();
      threads.merge(thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", "-N"), 1, Integer::sum);
    }
    StringBuilder out = new StringBuilder();
    out.append("  ").append(samples).append(" CPU samples\n");
    out.append("  hottest methods (own samples):\n");
    append(out, self, samples, top);
    out.append("  project methods on the stack (inclusive):\n");
    append(out, inclusive, samples, top);
    out.append("  by thread:\n");
    append(out, threads, samples, 8);
    return out.toString();
  }

  private static void append(StringBuilder out, Map<String, Integer> counts, int total, int top) {
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
    for (Map.Entry<String, Integer> entry : sorted.subList(0, Math.min(top, sorted.size()))) {
      out.append(
          String.format(
              java.util.Locale.ROOT,
              "    %5.1f%%  %s%n",
              100.0 * entry.getValue() / Math.max(1, total),
              entry.getKey()));
    }
  }

  private static String method(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private void jcmd(String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of(jcmd, Long.toString(pid)));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output);
    }
  }
}
