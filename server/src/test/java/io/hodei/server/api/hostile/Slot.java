package io.hodei.server.api.hostile;

/**
 * One field of a request body the hostile cases aim at, with the rules the API documents for it, so
 * that every value generated against it is one the API must refuse.
 *
 * @param path where the field is in the body: {@code retry.maxAttempts}, {@code steps[0].name}
 * @param kind its JSON type
 * @param refusesControl whether any control character is refused in it (names), not just NUL
 * @param maxLength the documented longest value (for maps: key), or 0 when there is none
 * @param min the smallest whole number allowed
 * @param max the largest whole number allowed
 */
record Slot(String path, Kind kind, boolean refusesControl, int maxLength, long min, long max) {

  /** The JSON type of a slot. */
  enum Kind {
    STRING,
    WHOLE,
    BOOL,
    MAP,
    OBJECT,
    LIST
  }

  /** A name: control characters and anything longer than {@code maxLength} are refused. */
  static Slot name(String path, int maxLength) {
    return new Slot(path, Kind.STRING, true, maxLength, 0, 0);
  }

  /** Free text: only NUL is refused, and length beyond {@code maxLength} when it is not 0. */
  static Slot text(String path, int maxLength) {
    return new Slot(path, Kind.STRING, false, maxLength, 0, 0);
  }

  /** A name of no documented length: control characters are refused. */
  static Slot controlled(String path) {
    return new Slot(path, Kind.STRING, true, 0, 0, 0);
  }

  static Slot whole(String path, long min, long max) {
    return new Slot(path, Kind.WHOLE, false, 0, min, max);
  }

  static Slot bool(String path) {
    return new Slot(path, Kind.BOOL, false, 0, 0, 0);
  }

  /**
   * A map of strings; {@code keysChecked} when its keys follow a syntax (no control characters, at
   * most {@code maxKeyLength}).
   */
  static Slot map(String path, boolean keysChecked, int maxKeyLength) {
    return new Slot(path, Kind.MAP, keysChecked, maxKeyLength, 0, 0);
  }

  static Slot object(String path) {
    return new Slot(path, Kind.OBJECT, false, 0, 0, 0);
  }

  static Slot list(String path) {
    return new Slot(path, Kind.LIST, false, 0, 0, 0);
  }

  boolean isText() {
    return kind == Kind.STRING;
  }
}
