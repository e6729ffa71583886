package io.hodei.core.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One attempt of a job as it is sent to a worker.
 *
 * @param jobId the job
 * @param attempt which attempt, from 1
 * @param steps the commands, in order
 * @param env environment for every step, secrets included
 * @param workingDirectory relative to the worker's job directory
 * @param timeout how long the worker lets the job run
 * @param maskedValues values the worker must mask in every log line
 */
public record JobAssignment(
    String jobId,
    int attempt,
    List<Step> steps,
    Map<String, String> env,
    String workingDirectory,
    Duration timeout,
    List<String> maskedValues) {

  public JobAssignment {
    steps = List.copyOf(steps);
    env = Map.copyOf(env);
    maskedValues = List.copyOf(maskedValues);
  }

  /** Never prints the environment's values: they may be secrets. */
  @Override
  public String toString() {
    return "JobAssignment[" + jobId + "#" + attempt + ", steps=" + steps.size() + "]";
  }
}
