package io.hodei.agent.logs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Replaces every secret value in a log line with {@code ***} before the line leaves the worker. */
public final class LogMasker {

  public static final String MASK = "***";

  private final List<String> values;

  private LogMasker(List<String> values) {
    this.values = values;
  }

  /**
   * A masker for these values. A value spanning several lines can never appear whole in one log
   * line, so each of its lines is masked on its own as well.
   */
  public static LogMasker of(Collection<String> maskedValues) {
    Set<String> unique = new LinkedHashSet<>();
    for (String value : maskedValues) {
      if (value == null || value.isEmpty()) {
        continue;
      }
      unique.add(value);
      if (value.contains("\n") || value.contains("\r")) {
        for (String part : value.split("\\R")) {
          if (!part.isBlank()) {
            unique.add(part.strip());
          }
        }
      }
    }
    List<String> ordered = new ArrayList<>(unique);
    // Longest first, so a value that contains another is masked whole, not half.
    ordered.sort(Comparator.comparingInt(String::length).reversed());
    return new LogMasker(List.copyOf(ordered));
  }

  /** The length of the longest value masked, 0 when there is none. */
  public int longestValue() {
    return values.isEmpty() ? 0 : values.get(0).length();
  }

  public String mask(String line) {
    String masked = line;
    for (String value : values) {
      if (masked.contains(value)) {
        masked = masked.replace(value, MASK);
      }
    }
    return masked;
  }
}
