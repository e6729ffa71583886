package io.hodei.systemtests;

import java.util.List;
import java.util.Set;

/**
 * A job as {@code GET /api/v1/jobs/{id}} shows it, with the fields the tests look at.
 *
 * @param json the response as the server sent it, for failure messages
 */
public record Job(
    String id,
    String name,
    String state,
    int attempt,
    String workerId,
    Integer exitCode,
    String reason,
    String failureKind,
    List<Event> events,
    String json) {

  /** States a job never leaves. */
  public static final Set<String> FINAL_STATES =
      Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED");

  public boolean isFinal() {
    return FINAL_STATES.contains(state);
  }

  /** The recorded transitions that ended the job, in order; one for a job that ended once. */
  public List<Event> finalEvents() {
    return events.stream().filter(event -> FINAL_STATES.contains(event.to())).toList();
  }

  /** One recorded transition of a job. */
  public record Event(String at, int attempt, String from, String to, String reason) {}

  static Job parse(String json) {
    Job job = Json.read(json, Job.class);
    return new Job(
        job.id,
        job.name,
        job.state,
        job.attempt,
        job.workerId,
        job.exitCode,
        job.reason,
        job.failureKind,
        job.events == null ? List.of() : job.events,
        json);
  }
}
