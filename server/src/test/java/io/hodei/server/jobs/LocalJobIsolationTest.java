package io.hodei.server.jobs;

import static io.hodei.server.testing.Users.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.hodei.server.testing.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two tenants' jobs side by side in the shared {@code default} pool of the embedded {@code local}
 * provider. The second job does what a hostile tenant would: it dumps every process environment it
 * can see, lists every directory from its own up to the root, and looks for the server's keys. None
 * of it reaches the first job's secret or the server's own files.
 */
@QuarkusTest
@Tag("keycloak")
@WithTestResource(HodeiTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class LocalJobIsolationTest {

  private static final Duration RUN = Duration.ofSeconds(90);

  /**
   * Every environment in /proc; then, from the job's directory up to the root, each directory's
   * listing and every admin token, master key or secret file within a few levels, printed whole.
   */
  private static final String PROBE =
      String.join(
          "\n",
          "for f in /proc/[0-9]*/environ; do echo \"environ $f\"; tr '\\0' '\\n' < \"$f\"; done",
          "d=\"$PWD\"",
          "while true; do",
          "  echo \"dir $d\"; ls -la \"$d\"",
          "  find \"$d\" -maxdepth 4 -path /proc -prune -o -type f \\( -name admin-token"
              + " -o -name master-key -o -path '*/.secrets/*' \\) -print 2>/dev/null"
              + " | while read -r f; do echo \"found $f\"; cat \"$f\"; echo; done",
          "  [ \"$d\" = / ] && break; d=$(dirname \"$d\")",
          "done",
          "echo probe-done");

  @Test
  void aJobInTheSharedPoolSeesNoOtherJobsSecretsAndNothingOfTheServer() throws Exception {
    String secretName = "deploy-" + UUID.randomUUID();
    String secretValue = "alice-secret-" + UUID.randomUUID();
    as("alice")
        .contentType("application/json")
        .body(Map.of("fields", Map.of("value", secretValue)))
        .put("/api/v1/secrets/" + secretName)
        .then()
        .statusCode(201);
    String reference = "local:tenants/tenant-a/" + secretName;
    String alicesJob =
        submit(
            as("alice"),
            Map.of(
                "name",
                "holds-a-secret",
                "command",
                "echo holding; sleep 600",
                "secrets",
                List.of(
                    Map.of("reference", reference, "env", "DEPLOY_KEY"),
                    Map.of("reference", reference, "file", "deploy/key"))));
    await("alice's job holds its secret")
        .atMost(RUN)
        .until(() -> stdout("alice", alicesJob).contains("holding"));

    String mark = "bob-" + UUID.randomUUID();
    String bobsJob =
        submit(
            as("bob"),
            Map.of("name", "probe", "command", PROBE, "env", Map.of("PROBE_MARK", mark)));
    await("bob's probe ends")
        .atMost(RUN)
        .until(() -> List.of("SUCCEEDED", "FAILED").contains(state("bob", bobsJob)));

    List<String> probe = stdout("bob", bobsJob);
    String log =
        String.join(
            "\n", lines("bob", bobsJob).stream().map(line -> (String) line.get("text")).toList());
    // The probe ran and could read what is there to read: its own environment and directories.
    assertThat(probe).contains("probe-done", "PROBE_MARK=" + mark, "dir /");
    assertThat(probe).anyMatch(line -> line.startsWith("environ /proc/"));
    // Nothing of alice's job, nor of the server.
    assertThat(log)
        .doesNotContain(secretValue)
        .doesNotContain("DEPLOY_KEY")
        .doesNotContain(Api.adminToken())
        .doesNotContain("found ");
    String masterKey = Files.readString(HodeiTestResource.home().resolve("master-key")).trim();
    assertThat(masterKey).isNotBlank();
    assertThat(log).doesNotContain(masterKey);
    assertThat(log).doesNotContain(HodeiTestResource.home().toString());
    assertThat(state("alice", alicesJob)).as("alice's job ran meanwhile").isEqualTo("RUNNING");

    as("alice").post("/api/v1/jobs/" + alicesJob + "/cancel").then().statusCode(202);
    await("alice's job cancelled")
        .atMost(RUN)
        .until(() -> "CANCELLED".equals(state("alice", alicesJob)));
    Jobs.awaitNoLiveWorkers(RUN);
  }

  private static String submit(RequestSpecification who, Map<String, Object> spec) {
    return who.contentType("application/json")
        .body(spec)
        .post("/api/v1/jobs")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static String state(String user, String id) {
    return as(user).get("/api/v1/jobs/" + id).then().statusCode(200).extract().path("state");
  }

  private static List<Map<String, Object>> lines(String user, String id) {
    return as(user)
        .get("/api/v1/jobs/" + id + "/logs")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  private static List<String> stdout(String user, String id) {
    return lines(user, id).stream()
        .filter(line -> "STDOUT".equals(line.get("stream")))
        .map(line -> (String) line.get("text"))
        .toList();
  }
}
