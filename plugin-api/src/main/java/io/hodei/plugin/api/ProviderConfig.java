package io.hodei.plugin.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A provider instance's settings as flat string keys and values, with typed accessors whose errors
 * say which key is wrong and how to fix it.
 */
public final class ProviderConfig {

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

  public int getInt(String key, int defaultValue) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(raw.get().trim());
    } catch (NumberFormatException e) {
      throw invalid(key, "must be a whole number, got '" + raw.get() + "'");
    }
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    Optional<String> raw = get(key).map(String::trim);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    if (raw.get().equalsIgnoreCase("true") || raw.get().equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(raw.get());
    }
    throw invalid(key, "must be true or false, got '" + raw.get() + "'");
  }

  /**
   * A duration in ISO-8601 ({@code PT30S}) or simple form ({@code 30s}, {@code 5m}, {@code 2h}).
   */
  public Duration getDuration(String key, Duration defaultValue) {
    Optional<String> raw = get(key).map(String::trim);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    String text = raw.get();
    try {
      if (text.matches("\\d+(ms|s|m|h)")) {
        long amount = Long.parseLong(text.replaceAll("\\D", ""));
        return switch (text.replaceAll("\\d", "")) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
      }
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw invalid(key, "must be a duration such as 30s, 5m or PT1H, got '" + text + "'");
    }
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
