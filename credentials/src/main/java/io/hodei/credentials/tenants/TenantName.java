package io.hodei.credentials.tenants;

import java.util.regex.Pattern;

/**
 * The syntax of a tenant's name: 1 to 63 lower-case letters, digits and {@code -}, starting with a
 * letter (e.g. {@code default}, {@code acme}, {@code team-7}). A tenant name becomes a path segment
 * of the broker's secret namespaces ({@code tenants/<tenant>/}) and is substituted into reference
 * patterns, so it can hold no {@code /}, {@code .}, glob character, space or upper case that would
 * let one tenant reach into another's namespace.
 *
 * <p>This is the one definition: the API checks the tenant claim of every token against it, pools
 * check their {@code tenant} field, and the broker's callers carry only such names. It lives in the
 * credentials module because that is where the namespaces it protects are, and because every user
 * can depend on it here: the server depends on this module, and the module itself needs only the
 * plugin API. Neither core nor the plugin API deals with tenants, so they need not know it.
 */
public final class TenantName {

  /** The most characters a tenant name has, like a DNS label. */
  public static final int MAX_LENGTH = 63;

  private static final Pattern SYNTAX =
      Pattern.compile("[a-z][a-z0-9-]{0," + (MAX_LENGTH - 1) + "}");

  /** What a valid tenant name looks like, for error messages. */
  public static final String RULE =
      "1 to " + MAX_LENGTH + " lower-case letters, digits and '-', starting with a letter";

  private TenantName() {}

  /** Whether {@code name} is a valid tenant name; null is not. */
  public static boolean isValid(String name) {
    return name != null && SYNTAX.matcher(name).matches();
  }

  /**
   * {@code name}, once checked.
   *
   * @throws IllegalArgumentException saying what a tenant name looks like, quoting at most a short
   *     prefix of the refused value
   */
  public static String require(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException("a tenant name is " + RULE + ", not " + describe(name));
    }
    return name;
  }

  /** A short, printable rendering of a refused value, safe for logs and error messages. */
  public static String describe(String value) {
    if (value == null) {
      return "nothing";
    }
    String prefix = value.length() > 20 ? value.substring(0, 20) + "..." : value;
    StringBuilder printable = new StringBuilder("'");
    prefix
        .codePoints()
        .forEach(c -> printable.append(c < 0x20 || c == 0x7f ? "?" : Character.toString(c)));
    return printable.append("' (").append(value.length()).append(" characters)").toString();
  }
}
