package io.hodei.systemtests;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/** Jobs through the REST API, as a user submits and follows them. */
public final class JobsClient {

  private static final TypeReference<List<LogLine>> LINES = new TypeReference<>() {};
  private static final Duration POLL = Duration.ofMillis(250);

  private final Api api;

  JobsClient(Api api) {
    this.api = api;
  }

  /**
   * Submits a job spec ({@code name}, {@code command} or {@code steps}, ...) and returns its id.
   */
  public String submit(Map<String, Object> spec) {
    return api.request()
        .body(spec)
        .post("/api/v1/jobs")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  public Job get(String id) {
    return Job.parse(
        api.request().get("/api/v1/jobs/" + id).then().statusCode(200).extract().asString());
  }

  /**
   * Waits until the job is in {@code state} and returns it then. Fails at once when the job ends in
   * another state, and with the job's JSON on timeout.
   */
  public Job awaitState(String id, String state, Duration timeout) {
    return awaitJob(
        id,
        "reach " + state,
        job -> {
          if (job.isFinal() && !job.state().equals(state)) {
            throw new AssertionError(
                "job "
                    + id
                    + " ended "
                    + job.state()
                    + " while waiting for "
                    + state
                    + ": "
                    + job.json());
          }
          return job.state().equals(state);
        },
        timeout);
  }

  /** Waits until the job satisfies {@code condition}; fails with the job's JSON on timeout. */
  public Job awaitJob(String id, String description, Predicate<Job> condition, Duration timeout) {
    AtomicReference<Job> last = new AtomicReference<>();
    try {
      await()
          .atMost(timeout)
          .pollInterval(POLL)
          .until(
              () -> {
                Job job = get(id);
                last.set(job);
                return condition.test(job);
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "job "
              + id
              + " did not "
              + description
              + " within "
              + timeout.toSeconds()
              + " s; it is now: "
              + (last.get() == null ? "(never read)" : last.get().json()),
          e);
    }
    return last.get();
  }

  /** The job's stored log lines, every attempt, in the order the server returns them. */
  public List<LogLine> logs(String id) {
    String body =
        api.request()
            .get("/api/v1/jobs/" + id + "/logs")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    return Json.read(body, LINES);
  }
}
