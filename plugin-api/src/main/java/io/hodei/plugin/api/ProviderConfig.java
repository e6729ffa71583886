package io.hodei.plugin.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider instance's settings as flat string keys and values, with typed accessors whose errors
 * say which key is wrong and how to fix it.
 */
public final class ProviderConfig {

  /**
   * The longest duration a setting may have: a century, far beyond any sensible timeout and far
   * from the overflow of the arithmetic that uses it.
   */
  public static final Duration MAX_DURATION = Duration.ofDays(36_525);

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private final String instanceName;
  private final Map<String, String> values;

  public ProviderConfig(String instanceName, Map<String, String> values) {
    this.instanceName = instanceName;
    this.values = Map.copyOf(values);
  }

  /** All settings, sorted by key. */
  public Map<String, String> asMap() {
    return new TreeMap<>(values);
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
  }

  public String get(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }

  /** A setting without which the provider cannot work. */
  public String require(String key) {
    return get(key).orElseThrow(() -> invalid(key, "is required"));
  }

  /** A whole number in {@code int}'s range; anything else is {@code INVALID_CONFIGURATION}. */
  public int getInt(String key, int defaultValue) {
    return getInt(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** A whole number from {@code min} to {@code max}, both included. */
  public int getInt(String key, int defaultValue, int min, int max) {
    long value = getLong(key, defaultValue, min, max);
    return (int) value;
  }

  /** A whole number from {@code min} to {@code max}, both included. */
  public long getLong(String key, long defaultValue, long min, long max) {
    Optional<String> raw = get(key).map(String::trim);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    long value;
    try {
      value = Long.parseLong(raw.get());
    } catch (NumberFormatException e) {
      throw invalid(key, "must be a whole number, got " + shown(raw.get()));
    }
    if (value < min || value > max) {
      throw invalid(key, "must be from " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    Optional<String> raw = get(key).map(String::trim);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    if (raw.get().equalsIgnoreCase("true") || raw.get().equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(raw.get());
    }
    throw invalid(key, "must be true or false, got " + shown(raw.get()));
  }

  /**
   * A duration in ISO-8601 ({@code PT30S}) or simple form ({@code 30s}, {@code 5m}, {@code 2h}),
   * zero or more and at most {@link #MAX_DURATION}; anything else is {@code INVALID_CONFIGURATION}.
   */
  public Duration getDuration(String key, Duration defaultValue) {
    return getDuration(key, defaultValue, Duration.ZERO, MAX_DURATION);
  }

  /** A duration, as {@link #getDuration(String, Duration)}, from {@code min} to {@code max}. */
  public Duration getDuration(String key, Duration defaultValue, Duration min, Duration max) {
    Optional<String> raw = get(key).map(String::trim);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    String text = raw.get();
    Duration value;
    try {
      value = parseDuration(text);
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      // Too many digits overflow a long or a Duration: as unreadable as a typo.
      throw invalid(
          key,
          "must be a duration such as 30s, 5m or PT1H, at most "
              + describe(max)
              + ", got "
              + shown(text));
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw invalid(
          key, "must be from " + describe(min) + " to " + describe(max) + ", got " + shown(text));
    }
    return value;
  }

  private static Duration parseDuration(String text) {
    Matcher simple = SIMPLE_DURATION.matcher(text);
    if (!simple.matches()) {
      return Duration.parse(text);
    }
    long amount = Long.parseLong(simple.group(1));
    return switch (simple.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  private static String describe(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  /** Echoes a refused value, cut short: a setting may be huge. */
  private static String shown(String value) {
    return "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
  }

  private ProviderException invalid(String key, String problem) {
    return new ProviderException(
        ProviderException.ErrorCode.INVALID_CONFIGURATION,
        "provider instance '" + instanceName + "': setting '" + key + "' " + problem);
  }

  /** Lists keys only: values may hold credential references that need not be printed. */
  @Override
  public String toString() {
    return "ProviderConfig[" + instanceName + ": " + new TreeMap<>(values).keySet() + "]";
  }
}
