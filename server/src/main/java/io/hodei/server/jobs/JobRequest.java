package io.hodei.server.jobs;

import io.hodei.core.FieldProblem;
import io.hodei.core.jobs.JobSecret;
import io.hodei.core.jobs.JobSpec;
import io.hodei.core.jobs.RetryPolicy;
import io.hodei.core.jobs.Step;
import io.hodei.plugin.api.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of {@code POST /api/v1/jobs}. Either {@code command} (one step) or {@code steps}.
 *
 * @param name a short name
 * @param command a single shell command
 * @param steps ordered named commands
 * @param image container image, for providers that run images
 * @param env environment for every step
 * @param workingDirectory relative to the job's directory on the worker
 * @param resources CPU in millicores and memory in MiB
 * @param timeoutSeconds how long the job may run; default one hour
 * @param labels free-form labels
 * @param retry retry policy; by default up to 3 attempts, infrastructure failures only
 * @param pool the pool to run in; default {@code default} unless {@code poolSelector} is given
 * @param secrets secrets exposed to the job, by reference; resolved when the job is dispatched
 * @param poolSelector labels a pool must carry, instead of {@code pool}: the best matching pool
 *     runs the job
 */
public record JobRequest(
    String name,
    String command,
    List<StepRequest> steps,
    String image,
    Map<String, String> env,
    String workingDirectory,
    ResourcesRequest resources,
    Long timeoutSeconds,
    Map<String, String> labels,
    RetryRequest retry,
    String pool,
    List<SecretRequest> secrets,
    Map<String, String> poolSelector) {

  static final long MAX_TIMEOUT_SECONDS = JobSpec.MAX_TIMEOUT.toSeconds();
  // Far beyond any machine, so that a job asking for more than its pool offers still waits and
  // says why; bounded so that sums over the jobs of a worker cannot overflow.
  static final long MAX_CPU_MILLIS = 1_000_000_000;
  static final long MAX_MEMORY_MIB = 1024L * 1024 * 1024;
  static final long MAX_BACKOFF_SECONDS = 86_400;
  static final int MAX_ATTEMPTS = 20;

  /** One named command. */
  public record StepRequest(String name, String command) {}

  /**
   * One secret for the job: its reference, optionally which field, and exactly one of {@code env}
   * (a variable name) or {@code file} (a path relative to {@code $HODEI_SECRETS_DIR}).
   */
  public record SecretRequest(String reference, String field, String env, String file) {}

  /** What the worker needs. */
  public record ResourcesRequest(Long cpuMillis, Long memoryMib) {}

  /** How often to try. */
  public record RetryRequest(
      Integer maxAttempts,
      Long initialBackoffSeconds,
      Long maxBackoffSeconds,
      Boolean retryJobFailures) {}

  /** The spec, with every problem found on the way; store it only when problems are empty. */
  public record Parsed(JobSpec spec, List<FieldProblem> problems) {}

  public Parsed parse() {
    List<FieldProblem> problems = new ArrayList<>();
    List<Step> stepList = steps(problems);
    Resources requested = resources(problems);
    RetryPolicy policy = retry(problems);
    Duration timeout = null;
    if (timeoutSeconds != null) {
      if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
        problems.add(
            new FieldProblem(
                "timeoutSeconds", "must be from 1 to " + MAX_TIMEOUT_SECONDS + " (7 days)"));
      } else {
        timeout = Duration.ofSeconds(timeoutSeconds);
      }
    }
    JobSpec spec =
        new JobSpec(
            name,
            stepList,
            Optional.ofNullable(image).filter(i -> !i.isBlank()),
            env,
            workingDirectory,
            requested,
            timeout,
            labels,
            policy,
            pool,
            jobSecrets(),
            poolSelector);
    problems.addAll(spec.problems());
    return new Parsed(spec, problems);
  }

  private List<JobSecret> jobSecrets() {
    if (secrets == null) {
      return List.of();
    }
    // An empty entry stays in place as an empty secret, so that problems keep their index.
    return secrets.stream()
        .map(
            secret ->
                secret == null
                    ? new JobSecret(null, null, null, null)
                    : new JobSecret(
                        secret.reference(),
                        Optional.ofNullable(secret.field()),
                        Optional.ofNullable(secret.env()),
                        Optional.ofNullable(secret.file())))
        .toList();
  }

  private List<Step> steps(List<FieldProblem> problems) {
    if (command != null && steps != null) {
      problems.add(new FieldProblem("command", "give either command or steps, not both"));
      return List.of();
    }
    if (command != null) {
      return List.of(new Step("main", command));
    }
    if (steps == null) {
      return List.of();
    }
    return steps.stream()
        .map(step -> step == null ? null : new Step(step.name(), step.command()))
        .toList();
  }

  private Resources resources(List<FieldProblem> problems) {
    if (resources == null) {
      return Resources.NONE;
    }
    long cpu = resources.cpuMillis() == null ? 0 : resources.cpuMillis();
    long memory = resources.memoryMib() == null ? 0 : resources.memoryMib();
    boolean cpuFits = cpu >= 0 && cpu <= MAX_CPU_MILLIS;
    boolean memoryFits = memory >= 0 && memory <= MAX_MEMORY_MIB;
    if (!cpuFits) {
      problems.add(
          new FieldProblem(
              "resources.cpuMillis", "must be from 0 to " + MAX_CPU_MILLIS + " (a million CPUs)"));
    }
    if (!memoryFits) {
      problems.add(
          new FieldProblem(
              "resources.memoryMib", "must be from 0 to " + MAX_MEMORY_MIB + " (1 PiB)"));
    }
    return cpuFits && memoryFits ? Resources.of(cpu, memory) : Resources.NONE;
  }

  private RetryPolicy retry(List<FieldProblem> problems) {
    if (retry == null) {
      return RetryPolicy.DEFAULT;
    }
    RetryPolicy defaults = RetryPolicy.DEFAULT;
    int attempts = retry.maxAttempts() == null ? defaults.maxAttempts() : retry.maxAttempts();
    long initial =
        retry.initialBackoffSeconds() == null
            ? defaults.initialBackoff().toSeconds()
            : retry.initialBackoffSeconds();
    long max =
        retry.maxBackoffSeconds() == null
            ? defaults.maxBackoff().toSeconds()
            : retry.maxBackoffSeconds();
    boolean fits = true;
    if (attempts < 1 || attempts > MAX_ATTEMPTS) {
      problems.add(new FieldProblem("retry.maxAttempts", "must be from 1 to " + MAX_ATTEMPTS));
      fits = false;
    }
    // Bounded so that the doubling wait between attempts never overflows.
    if (initial < 0 || initial > MAX_BACKOFF_SECONDS) {
      problems.add(
          new FieldProblem(
              "retry.initialBackoffSeconds",
              "must be from 0 to " + MAX_BACKOFF_SECONDS + " (1 day)"));
      fits = false;
    }
    if (max < 0 || max > MAX_BACKOFF_SECONDS) {
      problems.add(
          new FieldProblem(
              "retry.maxBackoffSeconds", "must be from 0 to " + MAX_BACKOFF_SECONDS + " (1 day)"));
      fits = false;
    }
    if (!fits) {
      return defaults;
    }
    return new RetryPolicy(
        attempts,
        Duration.ofSeconds(initial),
        Duration.ofSeconds(max),
        Boolean.TRUE.equals(retry.retryJobFailures()));
  }
}
