package io.hodei.credentials.identity;

/** Supplies a current access token for one identity, renewing it before it expires. */
@FunctionalInterface
public interface TokenSource {

  /**
   * A token valid for a while yet.
   *
   * @throws InvalidTokenException with {@code UNAVAILABLE} when no token can be obtained
   */
  String token();
}
