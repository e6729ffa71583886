package io.hodei.credentials.identity;

import io.hodei.credentials.policy.Caller;
import java.time.Instant;
import java.util.Set;

/**
 * What a valid token says about its holder.
 *
 * @param subject the {@code sub} claim
 * @param clientId the client the token was issued to ({@code azp})
 * @param tenant the tenant claim's value
 * @param roles the realm roles ({@code realm_access.roles})
 * @param expiresAt when the token stops being valid (without clock skew)
 */
public record VerifiedToken(
    String subject, String clientId, String tenant, Set<String> roles, Instant expiresAt) {

  public VerifiedToken {
    roles = Set.copyOf(roles);
  }

  /** The provider instance holding this token, named by its client id less {@code prefix}. */
  public Caller providerInstance(String prefix) {
    if (!clientId.startsWith(prefix) || clientId.length() == prefix.length()) {
      throw new InvalidTokenException(
          InvalidTokenException.Reason.MISSING_CLAIM,
          "client '"
              + clientId
              + "' is not a provider instance's client: those are named '"
              + prefix
              + "<instance>'");
    }
    return Caller.providerInstance(clientId.substring(prefix.length()), tenant);
  }
}
