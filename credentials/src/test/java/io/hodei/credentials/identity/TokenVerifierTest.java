package io.hodei.credentials.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.credentials.identity.InvalidTokenException.Reason;
import io.hodei.credentials.policy.Caller;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.CompactSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verifier against the real Keycloak server and tokens it issues. */
class TokenVerifierTest {

  private static KeycloakTestServer keycloak;
  private static IdentitySettings settings;
  private static TokenVerifier verifier;

  @BeforeAll
  static void startKeycloak() {
    keycloak = KeycloakTestServer.get();
    settings =
        IdentitySettings.keycloak(keycloak.baseUrl(), KeycloakTestServer.REALM, "hodei-broker");
    verifier = new TokenVerifier(settings, Clock.systemUTC());
  }

  private static String ciRunnerToken() {
    return ClientCredentials.token(keycloak.tokenEndpoint(), "ci-runner", "ci-runner-secret");
  }

  @Test
  void aClientCredentialsTokenNamesTheProviderInstanceAndItsTenant() {
    VerifiedToken token = verifier.verify(ciRunnerToken());

    assertThat(token.clientId()).isEqualTo("ci-runner");
    assertThat(token.tenant()).isEqualTo("tenant-a");
    assertThat(token.expiresAt()).isAfter(Instant.now());
    assertThat(verifier.providerInstance(ciRunnerToken()))
        .isEqualTo(Caller.providerInstance("ci-runner", "tenant-a"));
  }

  @Test
  void aTokenWhoseTenantClaimIsNoTenantNameIsRefused() {
    // Test-realm clients with hard-coded tenant claims, meant for the API's audience.
    TokenVerifier api = new TokenVerifier(settings.withAudience("hodei-api"), Clock.systemUTC());
    for (String client : java.util.List.of("tenant-claim-slash", "tenant-claim-dot-dot")) {
      String token = ClientCredentials.token(keycloak.tokenEndpoint(), client, client + "-secret");
      assertThatThrownBy(() -> api.verify(token))
          .isInstanceOfSatisfying(
              InvalidTokenException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_TENANT))
          .hasMessageContaining("lower-case letters");
    }
    String valid =
        ClientCredentials.token(
            keycloak.tokenEndpoint(), "tenant-claim-valid", "tenant-claim-valid-secret");
    assertThat(api.verify(valid).tenant()).isEqualTo("tenant-c");
  }

  @Test
  void anExpiredTokenIsRefused() {
    String token = ciRunnerToken();
    // Keycloak's tokens live 5 minutes in the test realm: look at this one from 6 minutes on.
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofMinutes(6)), ZoneOffset.UTC);
    TokenVerifier laterVerifier = new TokenVerifier(settings, later);

    assertThatThrownBy(() -> laterVerifier.verify(token))
        .isInstanceOfSatisfying(
            InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED))
        .hasMessageContaining("the token expired at")
        .hasMessageContaining("allowed clock skew 30 s");
  }

  @Test
  void aTokenWithinTheClockSkewOfItsExpiryIsAccepted() {
    String token = ciRunnerToken();
    Instant expiry = verifier.verify(token).expiresAt();
    TokenVerifier slightlyLate =
        new TokenVerifier(settings, Clock.fixed(expiry.plusSeconds(10), ZoneOffset.UTC));

    assertThat(slightlyLate.verify(token).clientId()).isEqualTo("ci-runner");
  }

  @Test
  void aTokenResignedWithAnotherKeyIsRefused() throws Exception {
    String forged = resign(ciRunnerToken(), true);

    assertThatThrownBy(() -> verifier.verify(forged))
        .isInstanceOfSatisfying(
            InvalidTokenException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE))
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void aTokenSignedByAnUnknownKeyIsRefused() throws Exception {
    String forged = resign(ciRunnerToken(), false);

    assertThatThrownBy(() -> verifier.verify(forged))
        .isInstanceOfSatisfying(
            InvalidTokenException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE))
        .hasMessageContaining("not signed by any key that " + keycloak.issuer() + " publishes");
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    String otherApp =
        ClientCredentials.token(keycloak.tokenEndpoint(), "other-app", "other-app-secret");

    assertThatThrownBy(() -> verifier.verify(otherApp))
        .isInstanceOfSatisfying(
            InvalidTokenException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_AUDIENCE))
        .hasMessageContaining("not for 'hodei-broker'");
  }

  @Test
  void aTokenOfAnotherIssuerIsRefused() {
    TokenVerifier expectingMaster =
        new TokenVerifier(
            settings.withIssuer(keycloak.baseUrl() + "/realms/master"), Clock.systemUTC());

    assertThatThrownBy(() -> expectingMaster.verify(ciRunnerToken()))
        .isInstanceOfSatisfying(
            InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_ISSUER))
        .hasMessage(
            "the token was issued by '"
                + keycloak.issuer()
                + "', not by "
                + keycloak.baseUrl()
                + "/realms/master");
  }

  @Test
  void aTokenWithoutTheTenantClaimIsRefused() {
    TokenVerifier readingOrg =
        new TokenVerifier(settings.withTenantClaim("org"), Clock.systemUTC());

    assertThatThrownBy(() -> readingOrg.verify(ciRunnerToken()))
        .isInstanceOfSatisfying(
            InvalidTokenException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_CLAIM))
        .hasMessageContaining("has no 'org' claim");
  }

  @Test
  void unreachableKeysAreReportedAsSuchNotAsABadToken() {
    String token = ciRunnerToken();
    IdentitySettings nowhere =
        new IdentitySettings(
            settings.issuer(),
            URI.create("http://127.0.0.1:1/certs"),
            settings.audience(),
            settings.tenantClaim(),
            "",
            settings.clockSkew(),
            settings.jwksCacheTtl());

    assertThatThrownBy(() -> new TokenVerifier(nowhere, Clock.systemUTC()).verify(token))
        .isInstanceOfSatisfying(
            InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
        .hasMessageContaining("cannot fetch the signing keys");
  }

  @Test
  void messagesNeverContainTheToken() {
    String token = ciRunnerToken();
    TokenVerifier later =
        new TokenVerifier(
            settings, Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC));

    assertThatThrownBy(() -> later.verify(token))
        .satisfies(
            e -> {
              assertThat(e.getMessage()).doesNotContain(token.split("\\.")[1]);
              assertThat(e.getMessage()).doesNotContain(token.split("\\.")[2]);
            });
  }

  /** The token's header and claims signed by a fresh RSA key, keeping the kid if asked. */
  private static String resign(String token, boolean keepKeyId) throws Exception {
    String[] parts = CompactSerializer.deserialize(token);
    JsonWebSignature original = new JsonWebSignature();
    original.setCompactSerialization(token);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair attacker = generator.generateKeyPair();
    JsonWebSignature forged = new JsonWebSignature();
    forged.setPayload(original.getUnverifiedPayload());
    forged.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    forged.setKeyIdHeaderValue(keepKeyId ? original.getKeyIdHeaderValue() : "attacker-key");
    forged.setKey(attacker.getPrivate());
    assertThat(parts).hasSize(3);
    return forged.getCompactSerialization();
  }
}
