package io.hodei.server.identity;

/** Keycloak refused or failed an admin call; the message says which and why. */
public final class KeycloakException extends RuntimeException {

  private final int status;

  KeycloakException(String message) {
    this(0, message);
  }

  KeycloakException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status Keycloak answered, or 0 when it did not answer. */
  public int status() {
    return status;
  }
}
