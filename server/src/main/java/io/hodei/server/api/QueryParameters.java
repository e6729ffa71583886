package io.hodei.server.api;

import io.hodei.core.FieldProblem;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads query parameters the API documents, so that a malformed or out-of-range one is a 400 that
 * names it, never the empty 404 that a failed conversion to {@code int} would give.
 */
public final class QueryParameters {

  private static final Pattern WHOLE = Pattern.compile("-?[0-9]{1,19}");

  private QueryParameters() {}

  /** A whole number from {@code min} to {@code max}; {@code fallback} when absent or empty. */
  public static int integer(String name, String raw, int fallback, int min, int max) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    // ASCII digits only: Long.parseLong would also read "١" or "５" as digits.
    if (!WHOLE.matcher(raw).matches()) {
      throw invalid(name, min, max);
    }
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw invalid(name, min, max);
    }
    if (value < min || value > max) {
      throw invalid(name, min, max);
    }
    return (int) value;
  }

  /** {@code true} or {@code false}; {@code fallback} when absent or empty. */
  public static boolean bool(String name, String raw, boolean fallback) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    return switch (raw) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw ApiException.badRequest(
              "the query parameter " + name + " is invalid",
              List.of(new FieldProblem(name, "must be true or false")));
    };
  }

  private static ApiException invalid(String name, int min, int max) {
    return ApiException.badRequest(
        "the query parameter " + name + " is invalid",
        List.of(new FieldProblem(name, "must be a whole number from " + min + " to " + max)));
  }
}
