package io.hodei.credentials.vault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.hodei.credentials.BackendException;
import io.hodei.credentials.BackendException.Kind;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretReference;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Vault backend against a wire-level fake of Vault's HTTP API: request shapes and answers as in
 * Vault's API reference (KV v2, sys/leases, auth/approle, auth/jwt, aws/creds).
 */
class VaultBackendTest {

  private static final String TOKEN_1 = "hvs.first-token";
  private static final String TOKEN_2 = "hvs.second-token";

  private final TestingClock clock = new TestingClock();
  private WireMockServer vault;
  private VaultBackend backend;

  @BeforeEach
  void start() {
    vault = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    vault.start();
    backend = new VaultBackend(settings(appRole()), clock);
  }

  @AfterEach
  void stop() {
    backend.close();
    vault.stop();
  }

  private VaultSettings settings(VaultAuth auth) {
    return VaultSettings.of(URI.create("http://127.0.0.1:" + vault.port()), auth)
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))
        .withRenewIncrement(Duration.ofHours(1));
  }

  private static VaultAuth appRole() {
    return new VaultAuth.AppRole("approle", "role-123", () -> "secret-456");
  }

  private void loginAnswers(String path, String... tokens) {
    String scenario = "login " + path;
    String state = Scenario.STARTED;
    for (int i = 0; i < tokens.length; i++) {
      String next = "login " + (i + 1);
      vault.stubFor(
          post(urlEqualTo(path))
              .inScenario(scenario)
              .whenScenarioStateIs(state)
              .willReturn(okJson(Fixtures.login(tokens[i], 3600)))
              .willSetStateTo(next));
      state = next;
    }
  }

  private void kv(String token, String body) {
    vault.stubFor(
        get(urlEqualTo("/v1/kv/data/ci/aws-prod"))
            .withHeader("X-Vault-Token", equalTo(token))
            .willReturn(okJson(body)));
  }

  private static SecretReference ref(String text) {
    return SecretReference.parse(text);
  }

  @Test
  void readsKvSecretAfterAppRoleLogin() {
    loginAnswers("/v1/auth/approle/login", TOKEN_1);
    kv(TOKEN_1, Fixtures.kv(Map.of("access_key", "AKIAEXAMPLE", "region", "eu-west-1"), 7));

    Secret secret = backend.read(ref("vault:kv/ci/aws-prod"));

    assertThat(secret.fields())
        .containsEntry("access_key", "AKIAEXAMPLE")
        .containsEntry("region", "eu-west-1");
    assertThat(secret.version()).isEqualTo("7");
    assertThat(secret.lease()).isEmpty();
    vault.verify(
        postRequestedFor(urlEqualTo("/v1/auth/approle/login"))
            .withRequestBody(
                equalToJson("{\"role_id\":\"role-123\",\"secret_id\":\"secret-456\"}")));
    vault.verify(
        getRequestedFor(urlEqualTo("/v1/kv/data/ci/aws-prod"))
            .withHeader("X-Vault-Token", equalTo(TOKEN_1)));
  }

  @Test
  void readsPinnedKvVersion() {
    loginAnswers("/v1/auth/approle/login", TOKEN_1);
    vault.stubFor(
        get(urlEqualTo("/v1/kv/data/ci/aws-prod?version=3"))
            .withHeader("X-Vault-Token", equalTo(TOKEN_1))
            .willReturn(okJson(Fixtures.kv(Map.of("password", "old"), 3))));

    Secret secret = backend.read(ref("vault:kv/ci/aws-prod@3"));

    assertThat(secret.version()).isEqualTo("3");
    assertThat(secret.fields()).containsEntry("password", "old");
  }

  @Test
  void newKvVersionShowsAsNewVersion() {
    loginAnswers("/v1/auth/approle/login", TOKEN_1);
    kv(TOKEN_1, Fixtures.kv(Map.of("password", "one"), 1));
    String first = backend.read(ref("vault:kv/ci/aws-prod")).version();
    kv(TOKEN_1, Fixtures.kv(Map.of("password", "two"), 2));

    Secret second = backend.read(ref("vault:kv/ci/aws-prod"));

    assertThat(second.version()).isNotEqualTo(first).isEqualTo("2");
    assertThat(second.fields()).containsEntry("password", "two");
  }

  @Test
  void sendsNamespaceHeader() {
    backend = new VaultBackend(settings(appRole()).withNamespace("team-ci"), clock);
    loginAnswers("/v1/auth/approle/login", TOKEN_1);
    kv(TOKEN_1, Fixtures.kv(Map.of("k", "v"), 1));

    backend.read(ref("vault:kv/ci/aws-prod"));

    vault.verify(
        getRequestedFor(urlEqualTo("/v1/kv/data/ci/aws-prod"))
            .withHeader("X-Vault-Namespace", equalTo("team-ci")));
  }

  @Test
  void missingSecretIsNotFound() {
    loginAnswers("/v1/auth/approle/login", TOKEN_1);
    vault.stubFor(
        get(urlEqualTo("/v1/kv/data/ci/missing"))
            .willReturn(aResponse().withStatus(404).withBody("{\"errors\":[]}")));

    assertThatThrownBy(() -> backend.read(ref("vault:kv/ci/missing")))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
        .hasMessageContaining("kv/ci/missing");
  }

  @Test
  void expiredTokenLeadsToOneNewLoginAndTheCallSucceeds() {
    loginAnswers("/v1/auth/approle/login", TOKEN_1, TOKEN_2);
    vault.stubFor(
        get(urlEqualTo("/v1/kv/data/ci/aws-prod"))
            .withHeader("X-Vault-Token", equalTo(TOKEN_1))
            .willReturn(Fixtures.forbidden()));
    kv(TOKEN_2, Fixtures.kv(Map.of("k", "v"), 4));

    Secret secret = backend.read(ref("vault:kv/ci/aws-prod"));

    assertThat(secret.version()).isEqualTo("4");
    vault.verify(2, postRequestedFor(urlEqualTo("/v1/auth/approle/login")));
  }

  @Test
  void deniedTwiceIsDenied() {
    loginAnswers("/v1/auth/approle/login", TOKEN_1, TOKEN_2);
    vault.stubFor(get(urlEqualTo("/v1/kv/data/ci/aws-prod")).willReturn(Fixtures.forbidden()));

    assertThatThrownBy(() -> backend.read(ref("vault:kv/ci/aws-prod")))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DENIED))
        .hasMessageContaining("policy");
    vault.verify(2, getRequestedFor(urlEqualTo("/v1/kv/data/ci/aws-prod")));
  }

  @Test
  void logsInAgainBeforeTheTokenExpires() {
    loginAnswers("/v1/auth/approle/login", TOKEN_1, TOKEN_2);
    kv(TOKEN_1, Fixtures.kv(Map.of("k", "v"), 1));
    kv(TOKEN_2, Fixtures.kv(Map.of("k", "v"), 1));
    backend.read(ref("vault:kv/ci/aws-prod"));

    clock.advance(Duration.ofSeconds(3595));
    backend.read(ref("vault:kv/ci/aws-prod"));

    vault.verify(2, postRequestedFor(urlEqualTo("/v1/auth/approle/login")));
    vault.verify(
        getRequestedFor(urlEqualTo("/v1/kv/data/ci/aws-prod"))
            .withHeader("X-Vault-Token", equalTo(TOKEN_2)));
  }

  @Test
  void jwtLoginSendsTheSuppliedToken() {
    String[] jwt = {"eyJ.first"};
    backend =
        new VaultBackend(settings(new VaultAuth.Jwt("jwt", "hodei-broker", () -> jwt[0])), clock);
    loginAnswers("/v1/auth/jwt/login", TOKEN_1, TOKEN_2);
    vault.stubFor(
        get(urlEqualTo("/v1/kv/data/ci/aws-prod"))
            .withHeader("X-Vault-Token", equalTo(TOKEN_1))
            .willReturn(Fixtures.forbidden()));
    kv(TOKEN_2, Fixtures.kv(Map.of("k", "v"), 1));

    jwt[0] = "eyJ.first";
    backend.read(ref("vault:kv/ci/aws-prod"));

    vault.verify(
        postRequestedFor(urlEqualTo("/v1/auth/jwt/login"))
            .withRequestBody(equalToJson("{\"role\":\"hodei-broker\",\"jwt\":\"eyJ.first\"}")));
    vault.verify(2, postRequestedFor(urlEqualTo("/v1/auth/jwt/login")));
  }

  @Test
  void refusedLoginIsUnauthenticated() {
    vault.stubFor(
        post(urlEqualTo("/v1/auth/approle/login"))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withBody("{\"errors\":[\"invalid role or secret ID\"]}")));

    assertThatThrownBy(() -> backend.read(ref("vault:kv/ci/aws-prod")))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHENTICATED))
        .hasMessageNotContaining("secret-456");
  }

  @Test
  void dynamicSecretComesWithALeaseThatIsRenewedAndRevoked() {
    loginAnswers("/v1/auth/approle/login", TOKEN_1);
    String leaseId = "aws/creds/deployer/0fb0d4fb-2a77-5a5e-a5c4-1b6f5e3e0001";
    vault.stubFor(
        get(urlEqualTo("/v1/aws/creds/deployer"))
            .withHeader("X-Vault-Token", equalTo(TOKEN_1))
            .willReturn(okJson(Fixtures.awsCreds(leaseId, 900))));
    vault.stubFor(
        put(urlEqualTo("/v1/sys/leases/renew"))
            .willReturn(okJson(Fixtures.renewed(leaseId, 3600))));
    vault.stubFor(put(urlEqualTo("/v1/sys/leases/revoke")).willReturn(aResponse().withStatus(204)));

    Secret secret = backend.read(ref("vault:aws/creds/deployer"));
    assertThat(secret.fields())
        .containsKeys("access_key", "secret_key")
        .doesNotContainKey("security_token");
    assertThat(secret.lease())
        .hasValueSatisfying(
            lease -> {
              assertThat(lease.id()).contains(leaseId);
              assertThat(lease.renewable()).isTrue();
              assertThat(lease.expiresAt()).isEqualTo(clock.instant().plusSeconds(900));
            });

    clock.advance(Duration.ofSeconds(600));
    Secret renewed = backend.renew(secret);
    assertThat(renewed.lease().orElseThrow().expiresAt())
        .isEqualTo(clock.instant().plusSeconds(3600));
    assertThat(renewed.lease().orElseThrow().maxExpiresAt()).isEmpty();
    assertThat(renewed.fields()).isEqualTo(secret.fields());

    backend.revoke(renewed);

    vault.verify(
        putRequestedFor(urlEqualTo("/v1/sys/leases/renew"))
            .withHeader("X-Vault-Token", equalTo(TOKEN_1))
            .withRequestBody(equalToJson("{\"lease_id\":\"" + leaseId + "\",\"increment\":3600}")));
    vault.verify(
        putRequestedFor(urlEqualTo("/v1/sys/leases/revoke"))
            .withHeader("X-Vault-Token", equalTo(TOKEN_1))
            .withRequestBody(equalToJson("{\"lease_id\":\"" + leaseId + "\"}")));
  }

  @Test
  void renewalCappedAtMaxTtlThenLeaseExpired() {
    loginAnswers("/v1/auth/approle/login", TOKEN_1);
    String leaseId = "database/creds/readonly/abc";
    vault.stubFor(
        get(urlEqualTo("/v1/database/creds/readonly"))
            .willReturn(okJson(Fixtures.dbCreds(leaseId, 3600))));
    // Vault grants only what is left before max_ttl, with a warning, and no error.
    vault.stubFor(
        put(urlEqualTo("/v1/sys/leases/renew"))
            .willReturn(okJson(Fixtures.renewed(leaseId, 1200))));

    Secret secret = backend.read(ref("vault:database/creds/readonly"));
    Secret capped = backend.renew(secret);

    assertThat(capped.lease().orElseThrow().maxExpiresAt())
        .contains(clock.instant().plusSeconds(1200));
    assertThatThrownBy(() -> backend.renew(capped))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.LEASE_EXPIRED))
        .hasMessageContaining("read a new value");
    vault.verify(1, putRequestedFor(urlEqualTo("/v1/sys/leases/renew")));
  }

  @Test
  void renewalOfAnExpiredLeaseIsLeaseExpired() {
    loginAnswers("/v1/auth/approle/login", TOKEN_1);
    String leaseId = "aws/creds/deployer/gone";
    vault.stubFor(
        get(urlEqualTo("/v1/aws/creds/deployer"))
            .willReturn(okJson(Fixtures.awsCreds(leaseId, 60))));
    vault.stubFor(
        put(urlEqualTo("/v1/sys/leases/renew"))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withBody("{\"errors\":[\"lease not found or lease is not renewable\"]}")));
    Secret secret = backend.read(ref("vault:aws/creds/deployer"));

    assertThatThrownBy(() -> backend.renew(secret))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.LEASE_EXPIRED));
  }

  @Test
  void kvSecretsHaveNothingToRenewOrRevoke() {
    loginAnswers("/v1/auth/approle/login", TOKEN_1);
    kv(TOKEN_1, Fixtures.kv(Map.of("k", "v"), 1));
    Secret secret = backend.read(ref("vault:kv/ci/aws-prod"));

    backend.revoke(secret);
    assertThatThrownBy(() -> backend.renew(secret))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
    vault.verify(0, putRequestedFor(urlEqualTo("/v1/sys/leases/revoke")));
  }

  @Test
  void throttlingIsThrottled() {
    assertKind(
        aResponse().withStatus(429).withBody("{\"errors\":[\"rate limit quota exceeded\"]}"),
        Kind.THROTTLED);
  }

  @Test
  void sealedVaultIsUnavailable() {
    assertKind(
        aResponse().withStatus(503).withBody("{\"errors\":[\"Vault is sealed\"]}"),
        Kind.UNAVAILABLE);
  }

  @Test
  void serverErrorIsUnavailable() {
    assertKind(
        aResponse().withStatus(500).withBody("{\"errors\":[\"internal error\"]}"),
        Kind.UNAVAILABLE);
  }

  @Test
  void slowAnswerIsTimeout() {
    assertKind(okJson(Fixtures.kv(Map.of("k", "v"), 1)).withFixedDelay(3000), Kind.TIMEOUT);
  }

  @Test
  void connectionResetIsUnavailable() {
    assertKind(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), Kind.UNAVAILABLE);
  }

  @Test
  void garbageAnswerIsUnavailable() {
    assertKind(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE), Kind.UNAVAILABLE);
  }

  @Test
  void unreachableVaultIsUnavailable() {
    vault.stop();
    assertThatThrownBy(() -> backend.read(ref("vault:kv/ci/aws-prod")))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));
  }

  @Test
  void badReferencesAreInvalid() {
    assertThatThrownBy(() -> backend.read(ref("vault:kv/")))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
    assertThatThrownBy(() -> backend.read(ref("aws-sm:kv/ci/aws-prod")))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID));
  }

  private void assertKind(
      com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer, Kind kind) {
    loginAnswers("/v1/auth/approle/login", TOKEN_1);
    vault.stubFor(get(urlEqualTo("/v1/kv/data/ci/aws-prod")).willReturn(answer));

    assertThatThrownBy(() -> backend.read(ref("vault:kv/ci/aws-prod")))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    vault.verify(1, getRequestedFor(urlEqualTo("/v1/kv/data/ci/aws-prod")));
  }
}
