package io.hodei.credentials.policy;

import io.hodei.credentials.SecretReference;

/** The policy does not let a caller read a reference; the message says what would. */
public class AccessDeniedException extends RuntimeException {

  private final Caller caller;
  private final SecretReference reference;

  public AccessDeniedException(Caller caller, SecretReference reference, String message) {
    super(message);
    this.caller = caller;
    this.reference = reference;
  }

  public Caller caller() {
    return caller;
  }

  public SecretReference reference() {
    return reference;
  }
}
