package io.hodei.server.testing;

import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/** Submits jobs through the REST API and waits for them, as a user would. */
public final class Jobs {

  private Jobs() {}

  /** Submits a job and returns its id. */
  public static String submit(Map<String, Object> spec) {
    return Api.asAdmin()
        .contentType("application/json")
        .body(spec)
        .post("/api/v1/jobs")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  public static JsonPath get(String id) {
    return Api.asAdmin().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
  }

  public static String state(String id) {
    return get(id).getString("state");
  }

  /** Waits until the job reaches {@code state}, and returns it then. */
  public static JsonPath awaitState(String id, String state, Duration atMost) {
    try {
      await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> state.equals(state(id)));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "job "
              + id
              + " did not reach "
              + state
              + " in "
              + atMost
              + "; it is now: "
              + get(id).prettify(),
          e);
    }
    return get(id);
  }

  /** The job's stored log lines. */
  public static List<Map<String, Object>> logs(String id) {
    return Api.asAdmin()
        .get("/api/v1/jobs/" + id + "/logs")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  /**
   * Agent processes started for a worker id that are still alive on this host: the agents' JVMs,
   * not the bubblewrap processes around sandboxed ones.
   */
  public static List<ProcessHandle> agentProcesses(String workerId) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("hodei-agent")).orElse(false))
        .filter(p -> !p.info().command().orElse("").endsWith("/bwrap"))
        .filter(p -> environmentMentions(p, workerId))
        .toList();
  }

  /** Processes on this host that run a step of the job (they carry its id in their environment). */
  public static List<ProcessHandle> processesOf(String jobId) {
    return ProcessHandle.allProcesses()
        .filter(p -> environmentMentions(p, "HODEI_JOB_ID=" + jobId))
        .toList();
  }

  private static boolean environmentMentions(ProcessHandle process, String workerId) {
    try {
      byte[] environ =
          java.nio.file.Files.readAllBytes(
              java.nio.file.Path.of("/proc", Long.toString(process.pid()), "environ"));
      return new String(environ, java.nio.charset.StandardCharsets.UTF_8).contains(workerId);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * Waits until no worker is live, so that no provider call is still running when the test
   * application stops and the next test class starts another.
   */
  public static void awaitNoLiveWorkers(Duration atMost) {
    await("no live worker")
        .atMost(atMost)
        .until(
            () ->
                Api.asAdmin()
                    .get("/api/v1/workers")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$")
                    .isEmpty());
  }

  /**
   * Cancels every job of the admin's tenant that has not ended and waits until each has, so that a
   * test of quotas or queue positions starts from an empty queue in an application earlier test
   * classes shared.
   */
  public static void cancelAllUnended(Duration atMost) {
    for (String state : List.of("PENDING", "PROVISIONING", "RUNNING")) {
      for (String id :
          Api.asAdmin()
              .get("/api/v1/jobs?limit=500&state=" + state)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("items.id", String.class)) {
        Api.asAdmin().post("/api/v1/jobs/" + id + "/cancel");
      }
    }
    await("every job ended")
        .atMost(atMost)
        .until(
            () ->
                List.of("PENDING", "PROVISIONING", "RUNNING").stream()
                    .allMatch(
                        state ->
                            Api.asAdmin()
                                .get("/api/v1/jobs?limit=1&state=" + state)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("items")
                                .isEmpty()));
  }

  /** How many jobs the admin's tenant has, up to 500: what a refused submission must not change. */
  public static int count() {
    return Api.asAdmin()
        .queryParam("limit", 500)
        .get("/api/v1/jobs")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items")
        .size();
  }
}
