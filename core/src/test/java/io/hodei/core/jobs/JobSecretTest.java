package io.hodei.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.core.FieldProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobSecretTest {

  private static JobSpec withSecrets(Map<String, String> env, JobSecret... secrets) {
    return new JobSpec(
        "deploy",
        List.of(new Step("main", "./deploy.sh")),
        Optional.empty(),
        env,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(secrets),
        null);
  }

  private static List<FieldProblem> problems(JobSecret... secrets) {
    return withSecrets(Map.of(), secrets).problems();
  }

  @Test
  void envAndFileSecretsWithOrWithoutAFieldAreValid() {
    assertThat(
            problems(
                JobSecret.asEnv("local:tenants/acme/db", "DB_PASSWORD"),
                JobSecret.asFile("vault:kv/tenants/acme/tls", "tls/key.pem").withField("key"),
                JobSecret.asFile("local:tenants/acme/db", "db.pass")))
        .isEmpty();
  }

  @Test
  void aSpecWithoutSecretsHasNone() {
    assertThat(withSecrets(null).secrets()).isEmpty();
  }

  @Test
  void aSecretNeedsExactlyOneOfEnvAndFile() {
    JobSecret neither =
        new JobSecret("local:tenants/acme/db", Optional.empty(), Optional.empty(), null);
    JobSecret both =
        new JobSecret(
            "local:tenants/acme/db", Optional.empty(), Optional.of("A"), Optional.of("a"));
    assertThat(problems(neither, both))
        .extracting(FieldProblem::field)
        .containsExactly("secrets[0]", "secrets[1]");
    assertThat(problems(neither).get(0).message()).contains("exactly one of env", "or file");
  }

  @Test
  void referencesMustLookLikeReferences() {
    for (String reference :
        new String[] {null, "", "db-password", "LOCAL:x", "local:", "local:a/../b", "local:a b"}) {
      assertThat(problems(JobSecret.asEnv(reference, "X")))
          .as(reference)
          .extracting(FieldProblem::field)
          .containsExactly("secrets[0].reference");
    }
  }

  @Test
  void envNamesAreValidatedAndMayNotBeReservedOrTaken() {
    List<FieldProblem> problems =
        withSecrets(
                Map.of("TAKEN", "x"),
                JobSecret.asEnv("local:tenants/a/x", "1BAD"),
                JobSecret.asEnv("local:tenants/a/x", "HODEI_JOB_ID"),
                JobSecret.asEnv("local:tenants/a/x", "TAKEN"),
                JobSecret.asEnv("local:tenants/a/x", "TWICE"),
                JobSecret.asEnv("local:tenants/a/y", "TWICE"))
            .problems();
    assertThat(problems)
        .extracting(FieldProblem::field)
        .containsExactly("secrets[0].env", "secrets[1].env", "secrets[2].env", "secrets[4].env");
  }

  @Test
  void filesStayInsideTheSecretsDirectory() {
    for (String file :
        new String[] {
          "/etc/passwd", "../x", "a/../../x", "a//b", ".", "a/.", ".hidden", "a b", ""
        }) {
      assertThat(problems(JobSecret.asFile("local:tenants/a/x", file)))
          .as(file)
          .extracting(FieldProblem::field)
          .containsExactly("secrets[0].file");
    }
    assertThat(JobSecret.validFile("certs/client_key.pem")).isTrue();
  }

  @Test
  void twoSecretsCannotClaimTheSameFileOrAFileAndItsDirectory() {
    assertThat(
            problems(
                JobSecret.asFile("local:tenants/a/x", "a"),
                JobSecret.asFile("local:tenants/a/y", "a"),
                JobSecret.asFile("local:tenants/a/z", "a/b")))
        .extracting(FieldProblem::field)
        .containsExactly("secrets[1].file", "secrets[2].file");
  }

  @Test
  void fieldNamesAreChecked() {
    assertThat(problems(JobSecret.asEnv("local:tenants/a/x", "X").withField("no spaces")))
        .extracting(FieldProblem::field)
        .containsExactly("secrets[0].field");
    assertThat(JobSecret.asEnv("local:tenants/a/x", "X").fieldOrDefault()).isEqualTo("value");
  }

  @Test
  void anAssignmentNeverPrintsSecretFileContent() {
    JobAssignment.SecretFile file =
        new JobAssignment.SecretFile(
            "db.pass", "hunter2".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(file.toString()).doesNotContain("hunter2").contains("db.pass");
    assertThat(file)
        .isEqualTo(
            new JobAssignment.SecretFile(
                "db.pass", "hunter2".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
