package io.hodei.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints scenario results as a plain-text table. */
final class Report {

  private static final String[] HEADER = {
    "scenario",
    "jobs",
    "ok",
    "wall s",
    "jobs/s",
    "decide p50",
    "decide p99",
    "runjob p50",
    "runjob p99",
    "final p50",
    "final p99",
    "heap MiB",
    "RSS MiB",
    "peak RSS",
    "tx/job",
    "writes/job"
  };

  private Report() {}

  static String table(List<ScenarioResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (ScenarioResult r : results) {
      rows.add(
          new String[] {
            r.name(),
            Integer.toString(r.submitted()),
            Integer.toString(r.succeeded()),
            format("%.2f", r.wall().toNanos() / 1e9),
            format("%.0f", r.jobsPerSecond()),
            r.decision().millis(50),
            r.decision().millis(99),
            r.toRunJob().millis(50),
            r.toRunJob().millis(99),
            r.toFinal().millis(50),
            r.toFinal().millis(99),
            Long.toString(r.heapBytes() >> 20),
            Long.toString(r.memory().rssBytes() >> 20),
            Long.toString(r.memory().peakRssBytes() >> 20),
            format("%.2f", r.commitsPerJob()),
            format("%.2f", r.writesPerJob())
          });
    }
    StringBuilder out = new StringBuilder(render(rows));
    for (ScenarioResult r : results) {
      if (!r.problems().isEmpty()) {
        out.append("! ").append(r.name()).append(": ").append(r.problems()).append('\n');
      }
    }
    return out.toString();
  }

  /** Where the time goes: each stage's p50 / p99 in ms, per scenario. */
  static String stages(List<ScenarioResult> results) {
    List<String[]> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("scenario (p50 / p99 ms)"));
    if (results.isEmpty()) {
      return "";
    }
    header.addAll(results.get(0).stages().keySet());
    rows.add(header.toArray(String[]::new));
    for (ScenarioResult r : results) {
      List<String> row = new ArrayList<>(List.of(r.name()));
      r.stages().values().forEach(p -> row.add(p.millis(50) + " / " + p.millis(99)));
      rows.add(row.toArray(String[]::new));
    }
    return render(rows);
  }

  private static String render(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell = i == 0 ? pad(row[i], widths[i]) : padLeft(row[i], widths[i]);
        line.append(i == 0 ? "| " : " | ").append(cell);
      }
      out.append(line).append(" |\n");
      if (r == 0) {
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
          rule.append(i == 0 ? "|-" : "-|-").append("-".repeat(widths[i]));
        }
        out.append(rule).append("-|\n");
      }
    }
    return out.toString();
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(width - text.length());
  }

  private static String padLeft(String text, int width) {
    return " ".repeat(width - text.length()) + text;
  }
}
