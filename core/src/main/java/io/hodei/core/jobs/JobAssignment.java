package io.hodei.core.jobs;

import java.time.Duration;
import java.util.Arrays;
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
 * @param secretFiles secret files the worker writes into the job's secrets directory
 */
public record JobAssignment(
    String jobId,
    int attempt,
    List<Step> steps,
    Map<String, String> env,
    String workingDirectory,
    Duration timeout,
    List<String> maskedValues,
    List<SecretFile> secretFiles) {

  public JobAssignment {
    steps = List.copyOf(steps);
    env = Map.copyOf(env);
    maskedValues = List.copyOf(maskedValues);
    secretFiles = List.copyOf(secretFiles);
  }

  /**
   * One secret the worker writes as a file.
   *
   * @param path relative to the job's secrets directory
   * @param content the secret's value
   */
  public record SecretFile(String path, byte[] content) {

    public SecretFile {
      content = content.clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof SecretFile that
          && path.equals(that.path)
          && Arrays.equals(content, that.content);
    }

    @Override
    public int hashCode() {
      return 31 * path.hashCode() + Arrays.hashCode(content);
    }

    /** Never prints the content. */
    @Override
    public String toString() {
      return "SecretFile[" + path + "]";
    }
  }

  /** Never prints the environment's values: they may be secrets. */
  @Override
  public String toString() {
    return "JobAssignment[" + jobId + "#" + attempt + ", steps=" + steps.size() + "]";
  }
}
