package io.hodei.agent.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Reads durations written as {@code 300} (seconds), {@code 250ms}, {@code 30s}, {@code 5m}, {@code
 * 1h} or ISO-8601.
 */
public final class Durations {

  private Durations() {}

  public static Duration parse(String text) {
    String value = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (value.startsWith("pt") || value.startsWith("p")) {
        return Duration.parse(value.toUpperCase(java.util.Locale.ROOT));
      }
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      if (value.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      if (value.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      if (value.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(value));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "expected a duration such as 300 (seconds), 250ms, 30s, 5m, 1h or PT5M, but got '"
              + text
              + "'",
          e);
    }
  }

  /** Formats a duration for people: {@code 850ms}, {@code 12.3s}, {@code 4m05s}. */
  public static String human(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    return String.format(
        java.util.Locale.ROOT, "%dm%02ds", millis / 60_000, (millis % 60_000) / 1000);
  }
}
