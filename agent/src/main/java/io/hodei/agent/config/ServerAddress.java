package io.hodei.agent.config;

/** The control plane's gRPC endpoint, parsed from {@code host:port} or {@code [ipv6]:port}. */
public record ServerAddress(String host, int port) {

  public ServerAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
    }
  }

  /** Parses {@code host:port}; the message of the exception shows the expected shape. */
  public static ServerAddress parse(String text) {
    String hint = "expected host:port, for example 127.0.0.1:9090, but got '" + text + "'";
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(hint);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(hint + " (write an IPv6 address in brackets: [::1]:9090)");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(hint, e);
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException(hint);
    }
    return new ServerAddress(host, port);
  }

  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
