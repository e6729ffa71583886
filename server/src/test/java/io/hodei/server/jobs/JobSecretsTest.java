package io.hodei.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;

import io.hodei.server.persistence.Db;
import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Job secrets end to end: a tenant secret in the embedded store, a job that names it, the real
 * local provider and agent. The job sees the value; the log, the job's record, its events and every
 * table see only the reference or the mask.
 */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class JobSecretsTest {

  private static final Duration RUN = Duration.ofSeconds(60);

  @Inject Db db;

  @Test
  void aJobGetsItsSecretAsEnvAndFileAndTheValueIsMaskedAndStoredNowhere() {
    String name = "db-" + UUID.randomUUID();
    String value = "pw-" + UUID.randomUUID();
    createSecret(name, Map.of("value", value));
    String reference = "local:tenants/default/" + name;

    String id =
        Jobs.submit(
            Map.of(
                "name",
                "uses-secrets",
                "command",
                "echo \"env:$DB_PASSWORD\"; echo \"file:$(cat \"$HODEI_SECRETS_DIR/db/pass\")\";"
                    + " stat -c 'mode:%a' \"$HODEI_SECRETS_DIR/db/pass\";"
                    + " echo \"dir:$HODEI_SECRETS_DIR\"",
                "secrets",
                List.of(
                    Map.of("reference", reference, "env", "DB_PASSWORD"),
                    Map.of("reference", reference, "field", "value", "file", "db/pass"))));

    JsonPath job = Jobs.awaitState(id, "SUCCEEDED", RUN);
    List<String> stdout =
        Jobs.logs(id).stream()
            .filter(line -> "STDOUT".equals(line.get("stream")))
            .map(line -> (String) line.get("text"))
            .toList();
    assertThat(stdout).contains("env:***", "file:***", "mode:600");
    String dir =
        stdout.stream()
            .filter(line -> line.startsWith("dir:/"))
            .findFirst()
            .orElseThrow()
            .substring(4);
    // The worker's sandbox shows it its own work directory at /worker: the files are in there.
    assertThat(dir).startsWith("/worker/.secrets/");
    Path onHost =
        HodeiTestResource.home()
            .resolve("workers/local")
            .resolve(job.getString("workerId"))
            .resolve("work")
            .resolve(dir.substring("/worker/".length()));
    assertThat(onHost).as("the secrets directory after the job").doesNotExist();

    assertThat(job.prettify()).contains(reference).doesNotContain(value);
    assertThat(Api.asAdmin().get("/api/v1/jobs/" + id + "/logs").asString()).doesNotContain(value);
    for (String table : List.of("jobs", "job_events", "job_logs", "secrets", "credential_audit")) {
      assertThat(rowsContaining(table, value))
          .as("rows of " + table + " holding the value")
          .isZero();
    }
    // The attempt's lease is released once the controller sees the job ended.
    org.awaitility.Awaitility.await("the job's secret lease is released")
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(auditActions(reference, id)).containsSubsequence("ISSUE", "REVOKE"));
  }

  @Test
  void aJobReferencingAnotherTenantsSecretFailsForGoodWithTheReferenceAndAnAuditRow() {
    String reference = "local:tenants/acme/deploy-" + UUID.randomUUID();

    String id =
        Jobs.submit(
            Map.of(
                "name",
                "steals",
                "command",
                "echo should-not-run",
                "secrets",
                List.of(Map.of("reference", reference, "env", "KEY"))));

    JsonPath job = Jobs.awaitState(id, "FAILED", RUN);
    assertThat(job.getString("reason")).contains(reference, "own tenant");
    assertThat(job.getString("failureKind")).isEqualTo("JOB");
    assertThat(job.getInt("attempt")).as("a denial is not retried").isEqualTo(1);
    assertThat(Jobs.logs(id)).extracting(l -> l.get("text")).doesNotContain("should-not-run");
    assertThat(auditActions(reference, id)).containsExactly("DENY");
  }

  @Test
  void aMissingSecretOrFieldFailsTheJobNamingTheReference() {
    String missing = "local:tenants/default/missing-" + UUID.randomUUID();
    String noField = Jobs.submit(secretJob(missing, null));
    JsonPath job = Jobs.awaitState(noField, "FAILED", RUN);
    assertThat(job.getString("reason")).contains(missing, "secrets[0]");
    assertThat(job.getInt("attempt")).isEqualTo(1);

    String name = "multi-" + UUID.randomUUID();
    String value = "v-" + UUID.randomUUID();
    createSecret(name, Map.of("user", "ci", "password", value));
    String id = Jobs.submit(secretJob("local:tenants/default/" + name, "token"));
    job = Jobs.awaitState(id, "FAILED", RUN);
    assertThat(job.getString("reason"))
        .contains(name, "no field 'token'", "password", "user")
        .doesNotContain(value);
  }

  @Test
  void badSecretEntriesAreRefusedByFieldAndNothingIsStored() {
    int before = Jobs.count();
    Api.asAdmin()
        .contentType("application/json")
        .body(
            """
            {"name": "bad-secrets", "command": "true", "secrets": [
              {"reference": "db-password", "env": "A"},
              {"reference": "local:tenants/default/x", "env": "A", "file": "a"},
              {"reference": "local:tenants/default/x", "file": "../escape"},
              {"reference": "local:tenants/default/x", "env": "HODEI_X"}
            ]}
            """)
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body(
            "problems.field",
            hasItems("secrets[0].reference", "secrets[1]", "secrets[2].file", "secrets[3].env"));
    assertThat(Jobs.count()).isEqualTo(before);
  }

  private static Map<String, Object> secretJob(String reference, String field) {
    Map<String, String> secret =
        field == null
            ? Map.of("reference", reference, "env", "S")
            : Map.of("reference", reference, "field", field, "env", "S");
    return Map.of("name", "secret-job", "command", "true", "secrets", List.of(secret));
  }

  private static void createSecret(String name, Map<String, String> fields) {
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("fields", fields))
        .put("/api/v1/secrets/" + name)
        .then()
        .statusCode(201);
  }

  private List<String> auditActions(String reference, String jobId) {
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        "select action from credential_audit where reference = :r and job_id = :j"
                            + " order by id",
                        String.class)
                    .setParameter("r", reference)
                    .setParameter("j", jobId)
                    .getResultList())
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  /** Rows whose text form (every column) holds {@code text}; for bytea, the raw bytes too. */
  private long rowsContaining(String table, String text) {
    String bytes =
        table.equals("secrets")
            ? " or position(convert_to(:text, 'UTF8') in t.ciphertext) > 0"
            : "";
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        "select count(*) from "
                            + table
                            + " t where position(:text in t::text) > 0"
                            + bytes,
                        Long.class)
                    .setParameter("text", text)
                    .getSingleResult())
        .await()
        .atMost(Duration.ofSeconds(10));
  }
}
