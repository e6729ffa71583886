package io.hodei.examples.ssh;

/**
 * One machine workers run on, written {@code user@host:port} in the settings.
 *
 * @param user the login user
 * @param host the host name or address
 * @param port the SSH port
 */
record SshHost(String user, String host, int port) {

  /** Parses {@code user@host:port}; the port defaults to 22. */
  static SshHost parse(String text) {
    String trimmed = text.trim();
    int at = trimmed.indexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException("'" + text + "' needs a user: write user@host:port");
    }
    String user = trimmed.substring(0, at);
    String rest = trimmed.substring(at + 1);
    int colon = rest.lastIndexOf(':');
    String host = colon < 0 ? rest : rest.substring(0, colon);
    int port = 22;
    if (colon >= 0) {
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' has a port that is not a number");
      }
    }
    // Anything else could be read by ssh as an option.
    if (!user.matches("[A-Za-z0-9._-]+") || !host.matches("[A-Za-z0-9.:-]+") || port < 1) {
      throw new IllegalArgumentException("'" + text + "' is not of the form user@host:port");
    }
    return new SshHost(user, host, port);
  }

  /** The form the settings and the worker handle use. */
  @Override
  public String toString() {
    return user + "@" + host + ":" + port;
  }
}
