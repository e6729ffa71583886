package io.hodei.core.jobs;

import io.hodei.core.FieldProblem;
import io.hodei.plugin.api.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a user asks to run: ordered steps in a worker of some pool, with limits and a retry policy.
 * Build it, then check {@link #problems()} before storing it.
 *
 * @param name a short name for people
 * @param steps the commands, in order; the job fails at the first one that exits non-zero
 * @param image the container image, for providers that run images
 * @param env environment variables for every step
 * @param workingDirectory relative to the worker's job directory; empty for that directory
 * @param resources what the worker needs
 * @param timeout how long the whole job may run
 * @param labels free-form labels for filtering
 * @param retry how often and after which failures the job is tried again
 * @param pool the pool to run in; empty when {@code poolSelector} chooses it
 * @param secrets secrets to expose to the job, by reference; never their values
 * @param poolSelector labels a pool must carry for the job to run there, instead of naming the
 *     pool; empty when the job names its pool
 */
public record JobSpec(
    String name,
    List<Step> steps,
    Optional<String> image,
    Map<String, String> env,
    String workingDirectory,
    Resources resources,
    Duration timeout,
    Map<String, String> labels,
    RetryPolicy retry,
    String pool,
    List<JobSecret> secrets,
    Map<String, String> poolSelector) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
  public static final Duration MAX_TIMEOUT = Duration.ofDays(7);
  public static final String DEFAULT_POOL = "default";
  static final int MAX_STEPS = 100;
  static final int MAX_COMMAND_LENGTH = 64 * 1024;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ -]{0,99}");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?");
  private static final Pattern POOL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  public JobSpec {
    steps = steps == null ? List.of() : List.copyOf(steps);
    image = image == null ? Optional.empty() : image;
    env = env == null ? Map.of() : Map.copyOf(env);
    workingDirectory = workingDirectory == null ? "" : workingDirectory;
    resources = resources == null ? Resources.NONE : resources;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    retry = retry == null ? RetryPolicy.DEFAULT : retry;
    poolSelector = poolSelector == null ? Map.of() : Map.copyOf(poolSelector);
    // Neither a pool nor a selector means the default pool, as before selectors existed.
    if (pool == null || pool.isBlank()) {
      pool = poolSelector.isEmpty() ? DEFAULT_POOL : "";
    }
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
  }

  /** Whether the job chooses its pool by labels rather than by name. */
  public boolean selectsPool() {
    return !poolSelector.isEmpty();
  }

  /** Everything wrong with this spec; empty when it can be stored. */
  public List<FieldProblem> problems() {
    List<FieldProblem> problems = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      problems.add(
          new FieldProblem(
              "name",
              "is required: 1 to 100 letters, digits, spaces, '.', '_' or '-', starting with a"
                  + " letter or digit"));
    }
    checkSteps(problems);
    env.forEach(
        (key, value) -> {
          if (!ENV_KEY.matcher(key).matches()) {
            problems.add(
                new FieldProblem(
                    "env." + key, "is not a valid variable name (letters, digits and '_')"));
          } else if (key.startsWith("HODEI_")) {
            problems.add(new FieldProblem("env." + key, "HODEI_ variables are reserved"));
          }
        });
    if (workingDirectory.startsWith("/") || List.of(workingDirectory.split("/")).contains("..")) {
      problems.add(
          new FieldProblem(
              "workingDirectory", "must be relative to the job directory, without '..'"));
    }
    if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      problems.add(new FieldProblem("timeout", "must be between 1 second and 7 days"));
    }
    labels.forEach(
        (key, value) -> {
          if (!LABEL_KEY.matcher(key).matches() || value == null || value.length() > 253) {
            problems.add(
                new FieldProblem(
                    "labels." + key,
                    "keys are lower-case letters, digits, '.', '_', '/' and '-'; values at most"
                        + " 253 characters"));
          }
        });
    if (!poolSelector.isEmpty() && !pool.isEmpty()) {
      problems.add(new FieldProblem("poolSelector", "give either pool or poolSelector, not both"));
    } else if (poolSelector.isEmpty() && !POOL.matcher(pool).matches()) {
      problems.add(
          new FieldProblem("pool", "must be a pool name: lower-case letters, digits and '-'"));
    }
    poolSelector.forEach(
        (key, value) -> {
          if (!LABEL_KEY.matcher(key).matches()
              || value == null
              || value.isEmpty()
              || value.length() > 63) {
            problems.add(
                new FieldProblem(
                    "poolSelector." + key,
                    "keys are lower-case letters, digits, '.', '_', '/' and '-'; values 1 to 63"
                        + " characters"));
          }
        });
    checkSecrets(problems);
    return problems;
  }

  private void checkSecrets(List<FieldProblem> problems) {
    if (secrets.size() > JobSecret.MAX_SECRETS) {
      problems.add(new FieldProblem("secrets", "at most " + JobSecret.MAX_SECRETS + " secrets"));
      return;
    }
    Set<String> envNames = new HashSet<>();
    Set<String> files = new HashSet<>();
    for (int i = 0; i < secrets.size(); i++) {
      JobSecret secret = secrets.get(i);
      String at = "secrets[" + i + "]";
      if (secret == null) {
        problems.add(new FieldProblem(at, "is empty"));
        continue;
      }
      problems.addAll(secret.problems(at));
      secret
          .env()
          .ifPresent(
              name -> {
                if (env.containsKey(name) || !envNames.add(name)) {
                  problems.add(
                      new FieldProblem(at + ".env", name + " is already set by env or a secret"));
                }
              });
      secret
          .file()
          .ifPresent(
              file -> {
                boolean clash =
                    files.stream()
                        .anyMatch(
                            other ->
                                other.equals(file)
                                    || other.startsWith(file + "/")
                                    || file.startsWith(other + "/"));
                if (clash) {
                  problems.add(
                      new FieldProblem(
                          at + ".file", file + " is already used by another secret's file"));
                }
                files.add(file);
              });
    }
  }

  private void checkSteps(List<FieldProblem> problems) {
    if (steps.isEmpty()) {
      problems.add(new FieldProblem("steps", "give a command or at least one step"));
      return;
    }
    if (steps.size() > MAX_STEPS) {
      problems.add(new FieldProblem("steps", "at most " + MAX_STEPS + " steps"));
    }
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step == null) {
        problems.add(new FieldProblem("steps[" + i + "]", "is empty"));
        continue;
      }
      if (step.name() == null || step.name().isBlank()) {
        problems.add(new FieldProblem("steps[" + i + "].name", "is required"));
      }
      if (step.command() == null || step.command().isBlank()) {
        problems.add(new FieldProblem("steps[" + i + "].command", "is required"));
      } else if (step.command().length() > MAX_COMMAND_LENGTH) {
        problems.add(new FieldProblem("steps[" + i + "].command", "is longer than 64 KiB"));
      }
    }
  }
}
