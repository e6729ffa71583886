package io.hodei.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one scenario measured.
 *
 * @param name the scenario
 * @param submitted jobs the server accepted
 * @param succeeded of those, jobs that ended SUCCEEDED
 * @param problems submissions refused, jobs that ended otherwise or not at all, agent failures
 * @param wall from the first submission to the last job's final state
 * @param decision submit to the provider's provision call arriving; empty samples for reused
 *     workers, which need no provision call
 * @param toRunJob submit to the RunJob message arriving at the agent
 * @param toFinal submit to the final state as the server recorded it
 * @param stages the same path cut at the server's and the agents' records, in order, by stage name
 * @param passes the controller's placement passes that placed these jobs
 * @param statements the database statements with the most execution time during the scenario
 * @param heapBytes the server's used heap right after the last job ended
 * @param memory the server's resident memory then, and its peak so far
 * @param commitsPerJob committed database transactions per job, the benchmark's own excluded
 * @param writesPerJob transactions that wrote (used a transaction id) per job
 */
record ScenarioResult(
    String name,
    int submitted,
    int succeeded,
    String problems,
    Duration wall,
    Percentiles decision,
    Percentiles toRunJob,
    Percentiles toFinal,
    Map<String, Percentiles> stages,
    PlacementPasses passes,
    List<String> statements,
    long heapBytes,
    ServerProcess.Memory memory,
    double commitsPerJob,
    double writesPerJob) {

  /** Stage names, in the order a job passes them. */
  static final String QUEUED = "submit->placed";

  static final String PROVISIONING = "placed->provision";
  static final String STARTING = "provision|placed->runjob";
  static final String RUNNING = "runjob->final";

  double jobsPerSecond() {
    return wall.isZero() ? 0 : succeeded / (wall.toNanos() / 1e9);
  }
}
