package io.hodei.server.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A bearer token that {@link BearerTokenMechanism} found to be the admin token. A request type of
 * its own, so that only {@link AdminTokenIdentityProvider} handles it and realm tokens never reach
 * that provider (nor the admin token {@code quarkus-oidc}'s).
 */
public final class AdminTokenRequest extends BaseAuthenticationRequest {

  private final String token;

  public AdminTokenRequest(String token) {
    this.token = token;
  }

  String token() {
    return token;
  }

  // Never print the token.
  @Override
  public String toString() {
    return "AdminTokenRequest";
  }
}
