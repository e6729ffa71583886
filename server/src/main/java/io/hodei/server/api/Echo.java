package io.hodei.server.api;

/**
 * What of a caller's own input an error may repeat: a short prefix, so that a 1 MiB field gives a
 * small error body, and a field path or message that grew from input stays readable.
 */
public final class Echo {

  /** How much of a value an error message repeats. */
  public static final int VALUE_CHARS = 64;

  private Echo() {}

  /** The value, or its first {@value #VALUE_CHARS} characters followed by {@code ...}. */
  public static String of(String value) {
    return cut(value, VALUE_CHARS);
  }

  /** The text, or its first {@code max} characters followed by {@code ...}. */
  public static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end) + "...";
  }
}
