package io.hodei.credentials.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.credentials.broker.TestingClock;
import io.hodei.credentials.identity.InvalidTokenException.Reason;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokens by client credentials from the real Keycloak, renewed before they expire. */
class ClientCredentialsTokenSourceTest {

  private static KeycloakTestServer keycloak;
  private static TokenVerifier verifier;

  @BeforeAll
  static void startKeycloak() {
    keycloak = KeycloakTestServer.get();
    verifier =
        new TokenVerifier(
            IdentitySettings.keycloak(keycloak.baseUrl(), KeycloakTestServer.REALM, "hodei-broker"),
            Clock.systemUTC());
  }

  private static ClientCredentialsTokenSource source(String secret, Clock clock) {
    return new ClientCredentialsTokenSource(
        keycloak.tokenEndpoint(), "ci-runner", secret, clock, HttpClient.newHttpClient());
  }

  @Test
  void theTokenIsKeptUntilTwoThirdsOfItsLifeThenRenewed() {
    TestingClock clock = new TestingClock(Instant.now());
    ClientCredentialsTokenSource source = source("ci-runner-secret", clock);

    String first = source.token();
    clock.advance(Duration.ofSeconds(190)); // the realm's tokens live 300 s
    String stillFirst = source.token();
    clock.advance(Duration.ofSeconds(20));
    String renewed = source.token();

    assertThat(stillFirst).isEqualTo(first);
    assertThat(renewed).isNotEqualTo(first);
    assertThat(verifier.providerInstance(renewed).name()).isEqualTo("ci-runner");
  }

  @Test
  void aWrongSecretFailsClearlyWithoutShowingIt() {
    ClientCredentialsTokenSource source = source("not-the-secret", Clock.systemUTC());

    assertThatThrownBy(source::token)
        .isInstanceOfSatisfying(
            InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
        .hasMessageContaining("refused client 'ci-runner' (HTTP 401)")
        .hasMessageNotContaining("not-the-secret");
  }

  @Test
  void whenRenewalFailsTheTokenInHandIsUsedUntilItExpires() {
    TestingClock clock = new TestingClock(Instant.now());
    ClientCredentialsTokenSource source = source("ci-runner-secret", clock);
    String first = source.token();

    source.useSecret("revoked-secret");
    clock.advance(Duration.ofSeconds(250));
    String served = source.token();
    clock.advance(Duration.ofSeconds(60));

    assertThat(served).isEqualTo(first);
    assertThatThrownBy(source::token).isInstanceOf(InvalidTokenException.class);
  }
}
