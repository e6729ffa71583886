package io.hodei.credentials.policy;

import io.hodei.credentials.SecretReference;
import java.util.regex.Pattern;

/**
 * A glob over secret references: {@code aws-sm:prod/ecs-*}. In the path, {@code *} matches within
 * one segment and {@code **} across segments; a backend of {@code *} matches any backend.
 */
public final class ReferencePattern {

  private static final Pattern SYNTAX =
      Pattern.compile("(\\*|[a-z][a-z0-9-]{0,31}):[A-Za-z0-9_.@+=/*-]{1,512}");

  private final String text;
  private final Pattern compiled;

  private ReferencePattern(String text, Pattern compiled) {
    this.text = text;
    this.compiled = compiled;
  }

  /** Parses {@code backend:path-glob}; the message of a failure shows an example. */
  public static ReferencePattern parse(String text) {
    if (text == null || !SYNTAX.matcher(text).matches() || text.contains("..")) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a reference pattern; write backend:path with * or ** globs,"
              + " e.g. aws-sm:prod/ecs-* or vault:tenants/acme/**");
    }
    int colon = text.indexOf(':');
    String backend = text.substring(0, colon);
    StringBuilder regex = new StringBuilder();
    regex.append(backend.equals("*") ? "[a-z][a-z0-9-]*" : Pattern.quote(backend)).append(':');
    String path = text.substring(colon + 1);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '*' && i + 1 < path.length() && path.charAt(i + 1) == '*') {
        regex.append(".*");
        i++;
      } else if (c == '*') {
        regex.append("[^/]*");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new ReferencePattern(text, Pattern.compile(regex.toString()));
  }

  public boolean matches(SecretReference reference) {
    return compiled.matcher(reference.toString()).matches();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ReferencePattern that && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
