package io.hodei.server.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItems;

import io.hodei.credentials.SecretReference;
import io.hodei.credentials.broker.CredentialBroker;
import io.hodei.credentials.broker.FetchContext;
import io.hodei.credentials.policy.AccessDeniedException;
import io.hodei.credentials.policy.Caller;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderException;
import io.hodei.server.persistence.Db;
import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The embedded store through the API, the broker as the server wires it, and the audit trail: a
 * value goes in and never comes out, the table holds ciphertext only, access follows the policy,
 * and every access leaves a row.
 */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class SecretsAndAuditTest {

  @Inject CredentialHandles handles;
  @Inject CredentialBroker broker;
  @Inject Db db;
  @Inject PgAuditLog audit;
  @Inject io.hodei.server.plugins.PluginHost plugins;

  @Test
  void aTenantSecretIsWrittenVersionedNeverReturnedAndStoredEncrypted() {
    String name = "db-" + UUID.randomUUID();
    String value = "pw-" + UUID.randomUUID();

    String created =
        put("/api/v1/secrets/" + name, Map.of("value", value))
            .then()
            .statusCode(201)
            .body("reference", org.hamcrest.Matchers.equalTo("local:tenants/default/" + name))
            .body("versions.version", hasItems(1))
            .extract()
            .asString();
    assertThat(created).doesNotContain(value);

    put("/api/v1/secrets/" + name, Map.of("value", value + "-2"))
        .then()
        .statusCode(200)
        .body("versions.version", hasItems(1, 2));
    String listed =
        Api.asAdmin().get("/api/v1/secrets").then().statusCode(200).extract().asString();
    assertThat(listed).contains(name).doesNotContain(value);
    assertThat(
            Api.asAdmin()
                .get("/api/v1/secrets")
                .then()
                .extract()
                .jsonPath()
                .getList("find { it.name == '" + name + "' }.versions.version", Integer.class))
        .as("the listed versions")
        .containsExactly(1, 2);

    assertThat(rowsContaining("secrets", value)).as("plaintext rows in secrets").isZero();
    assertThat(
            Api.asAdmin()
                .queryParam("reference", "local:tenants/default/" + name)
                .get("/api/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("action", String.class))
        .containsExactly("WRITE", "WRITE");

    Api.asAdmin().delete("/api/v1/secrets/" + name).then().statusCode(204);
    Api.asAdmin().get("/api/v1/secrets/" + name).then().statusCode(404);
  }

  @Test
  void badSecretsAreRefusedWithTheFieldAndWithoutEchoingTheValue() {
    String value = "echo-" + UUID.randomUUID();
    String body =
        put("/api/v1/secrets/bad", Map.of("bad key!", value))
            .then()
            .statusCode(400)
            .body("problems.field", hasItems("fields.bad key!"))
            .extract()
            .asString();
    assertThat(body).doesNotContain(value);
    put("/api/v1/secrets/no spaces", Map.of("value", "x"))
        .then()
        .statusCode(400)
        .body("problems.field", hasItems("name"));
    put("/api/v1/installation-secrets/tenants/x/y", Map.of("value", "x"))
        .then()
        .statusCode(400)
        .body("problems.field", hasItems("name"));
  }

  @Test
  void aProviderInstanceReadsWhatItsConfigurationNamesGetsRotationsAndNothingElse() {
    String name = "registry-" + UUID.randomUUID();
    String other = "other-" + UUID.randomUUID();
    put("/api/v1/installation-secrets/" + name, Map.of("username", "ci", "password", "one"))
        .then()
        .statusCode(201);
    put("/api/v1/installation-secrets/" + other, Map.of("value", "not-yours"))
        .then()
        .statusCode(201);

    CredentialHandle handle =
        handles.forProviderInstance("creds-test", Map.of("registryCredentials", "local:" + name));
    try {
      assertThat(handle.get("local:" + name).field("password")).isEqualTo("one");
      List<Credential> rotated = new CopyOnWriteArrayList<>();
      handle.onRotation("local:" + name, rotated::add);

      put("/api/v1/installation-secrets/" + name, Map.of("username", "ci", "password", "two"))
          .then()
          .statusCode(200);
      await("the rotation reaches the handle")
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(rotated).extracting(c -> c.field("password")).contains("two"));

      assertThatThrownBy(() -> handle.get("local:" + other))
          .isInstanceOfSatisfying(
              ProviderException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ProviderException.ErrorCode.PERMISSION_DENIED);
                assertThat(e.getMessage()).doesNotContain("not-yours");
              });
      assertThat(actions("local:" + other)).contains("DENY");
    } finally {
      handles.release("creds-test");
    }
  }

  @Test
  void aJobOfOneTenantCannotReadAnotherTenantsSecretAndTheDenialIsAudited() {
    SecretReference theirs = SecretReference.parse("local:tenants/acme/deploy-key");
    assertThatThrownBy(
            () -> broker.fetch(Caller.job("job-1", "globex"), theirs, FetchContext.job("job-1")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("own tenant");
    assertThat(auditRows(theirs.toString(), "globex")).containsExactly("DENY");
    // The audit API shows a tenant its own entries only: not this one to the default tenant.
    assertThat(actions(theirs.toString())).isEmpty();
  }

  @Test
  void anAccessReturnsOnlyOnceItsAuditEntryIsCommitted() {
    SecretReference theirs = SecretReference.parse("local:tenants/acme/db-" + UUID.randomUUID());
    assertThatThrownBy(
            () -> broker.fetch(Caller.job("job-2", "globex"), theirs, FetchContext.job("job-2")))
        .isInstanceOf(AccessDeniedException.class);
    // Read at once, from another connection: no waiting, no flush.
    assertThat(auditRows(theirs.toString(), "globex")).containsExactly("DENY");

    String name = "served-" + UUID.randomUUID();
    put("/api/v1/secrets/" + name, Map.of("value", "v")).then().statusCode(201);
    SecretReference ours = SecretReference.parse("local:tenants/default/" + name);
    broker.release(broker.fetch(Caller.job("job-3", "default"), ours, FetchContext.job("job-3")));
    assertThat(auditRows(ours.toString(), "default")).containsExactly("WRITE", "ISSUE", "REVOKE");
  }

  @Test
  void anAccessWhoseAuditEntryCannotBeStoredIsNotServed() {
    String name = "refused-" + UUID.randomUUID();
    put("/api/v1/secrets/" + name, Map.of("value", "v")).then().statusCode(201);
    SecretReference ours = SecretReference.parse("local:tenants/default/" + name);
    // PostgreSQL refuses a NUL in text, so this entry cannot be stored: the fetch that it
    // records must fail rather than hand out the value with its entry still pending.
    FetchContext unstorable = FetchContext.job("job-\u0000");
    assertThatThrownBy(() -> broker.fetch(Caller.job("job-4", "default"), ours, unstorable))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("audit");
    // The trail keeps working, and the refused access holds nothing: the next holder is the last.
    broker.release(broker.fetch(Caller.job("job-5", "default"), ours, FetchContext.job("job-5")));
    assertThat(auditRows(ours.toString(), "default")).containsExactly("WRITE", "ISSUE", "REVOKE");
    assertThat(auditDetails(ours.toString(), "REVOKE"))
        .containsExactly("last holder; backend lease revoked");
  }

  @Test
  void aProviderConfigurationHoldingARawSecretIsRefusedWithAHintToUseAReference() {
    // After a restart of the application (another test class's resources), plugins load async.
    await("the local plugin")
        .atMost(Duration.ofSeconds(30))
        .until(() -> plugins.providerTypes().contains("local"));
    Api.asAdmin()
        .contentType("application/json")
        .body(
            Map.of(
                "name",
                "local-raw",
                "type",
                "local",
                "config",
                Map.of("apiToken", "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z")))
        .post("/api/v1/providers")
        .then()
        .statusCode(400)
        .body("problems.message", hasItems(org.hamcrest.Matchers.containsString("reference")));
  }

  private static io.restassured.response.Response put(String path, Map<String, String> fields) {
    return Api.asAdmin().contentType("application/json").body(Map.of("fields", fields)).put(path);
  }

  private List<String> actions(String reference) {
    return Api.asAdmin()
        .queryParam("reference", reference)
        .get("/api/v1/audit")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("action", String.class);
  }

  private List<String> auditDetails(String reference, String action) {
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        "select detail from credential_audit where reference = :r and action = :a",
                        String.class)
                    .setParameter("r", reference)
                    .setParameter("a", action)
                    .getResultList())
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  private List<String> auditRows(String reference, String tenant) {
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        "select action from credential_audit where reference = :r and tenant = :t"
                            + " order by id",
                        String.class)
                    .setParameter("r", reference)
                    .setParameter("t", tenant)
                    .getResultList())
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  private long rowsContaining(String table, String text) {
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        "select count(*) from "
                            + table
                            + " t where position(convert_to(:text, 'UTF8') in t.ciphertext) > 0"
                            + " or position(:text in t.name) > 0",
                        Long.class)
                    .setParameter("text", text)
                    .getSingleResult())
        .await()
        .atMost(Duration.ofSeconds(10));
  }
}
