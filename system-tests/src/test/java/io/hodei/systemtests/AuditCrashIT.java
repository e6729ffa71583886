package io.hodei.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server is killed (SIGKILL) right after it served secrets to jobs: once it is back, the audit
 * trail holds the issue of every one of them, with no wait, since an access is served only after
 * its entry is committed.
 */
class AuditCrashIT {

  private static final int JOBS = 3;
  private static final Duration RUN = Duration.ofSeconds(120);

  private HodeiServer server;

  @BeforeEach
  void start() {
    server =
        HodeiServer.start(
            TestHomes.create("audit-crash"),
            Timings.fastWith("hodei.controller.heartbeat-timeout", "10s"));
  }

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void everyServedSecretIsInTheAuditTrailAfterAKill() {
    Api api = new Api(server);
    api.request()
        .body(Map.of("fields", Map.of("value", "audited-value")))
        .put("/api/v1/secrets/audited")
        .then()
        .statusCode(201);
    List<String> ids = new ArrayList<>();
    for (int k = 1; k <= JOBS; k++) {
      ids.add(
          api.jobs()
              .submit(
                  Map.of(
                      "name",
                      "audited-" + k,
                      "command",
                      "sleep 6",
                      "secrets",
                      List.of(Map.of("reference", "local:tenants/default/audited", "env", "S")))));
    }
    // A running job was sent its secret: the fetch was served.
    await("every job running")
        .atMost(RUN)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> ids.stream().allMatch(id -> "RUNNING".equals(api.jobs().get(id).state())));

    server.kill();
    server.restart();

    for (String id : ids) {
      List<String> actions =
          api.request()
              .queryParam("jobId", id)
              .get("/api/v1/audit")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("action", String.class);
      assertThat(actions).as("audit entries of job " + id).contains("ISSUE");
    }
    ids.forEach(id -> api.jobs().awaitState(id, "SUCCEEDED", RUN));
  }
}
