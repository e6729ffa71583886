package io.hodei.agent.jobs;

import io.hodei.agent.config.Durations;
import io.hodei.agent.logs.LinePump;
import io.hodei.agent.logs.LogBatcher;
import io.hodei.agent.logs.LogMasker;
import io.hodei.protocol.v1.JobOutcome;
import io.hodei.protocol.v1.JobResult;
import io.hodei.protocol.v1.LogStream;
import io.hodei.protocol.v1.RunJob;
import io.hodei.protocol.v1.Step;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the steps of one job attempt in order, on its own thread, and produces its result. Steps run
 * with {@code /bin/sh -c}; the first step that exits non-zero ends the job.
 */
final class JobExecution {

  private static final Logger LOG = Logger.getLogger(JobExecution.class.getName());

  /** How long the job's processes get after SIGTERM when the job runs out of time. */
  static final Duration TIMEOUT_GRACE = Duration.ofSeconds(5);

  /** How long to wait for output still in the pipes after a step's shell exited. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);

  /** Names the directory holding the job's secret files, when it has any. */
  static final String SECRETS_DIR_VARIABLE = "HODEI_SECRETS_DIR";

  private static final File NO_INPUT = new File("/dev/null");

  private final RunJob job;
  private final JobWorkspace workspace;
  private final Map<String, String> baseEnvironment;
  private final LogBatcher logs;
  private final LogMasker masker;
  private volatile StopRequest stop;
  private Process current; // guarded by this

  JobExecution(
      RunJob job,
      JobWorkspace workspace,
      Map<String, String> baseEnvironment,
      LogBatcher logs,
      LogMasker masker) {
    this.job = job;
    this.workspace = workspace;
    this.baseEnvironment = baseEnvironment;
    this.logs = logs;
    this.masker = masker;
  }

  RunJob job() {
    return job;
  }

  /** Runs every step and returns the result, after the last log line was handed to the sink. */
  JobResult run() {
    JobResult.Builder result;
    try {
      result = execute();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "job " + job.getJobId() + " failed inside the agent", e);
      result = outcome(JobOutcome.AGENT_ERROR, 0, "the agent failed while running the job: " + e);
    }
    logs.system(result.getOutcome() + ": " + result.getMessage());
    logs.close();
    return result
        .setMessage(masker.mask(result.getMessage()))
        .setLastSequence(logs.lastSequence())
        .build();
  }

  /**
   * Stops the job: the step running now gets SIGTERM (its whole tree), SIGKILL after the grace
   * period, and no further step starts. The first request wins. Blocks for up to the grace period.
   */
  void stop(StopRequest request) {
    Process process;
    synchronized (this) {
      if (stop != null) {
        return;
      }
      stop = request;
      process = current;
    }
    if (process != null) {
      ProcessTree.terminate(process.toHandle(), request.grace());
    }
  }

  /** Kills the running step's tree at once; for when the agent itself is exiting. */
  void kill() {
    Process process;
    synchronized (this) {
      process = current;
    }
    if (process != null) {
      ProcessTree.terminate(process.toHandle(), Duration.ZERO);
    }
  }

  private JobResult.Builder execute() {
    Path directory;
    try {
      directory = workspace.prepare(job.getJobId(), job.getAttempt(), job.getWorkingDirectory());
    } catch (IllegalArgumentException | IOException e) {
      return outcome(
          JobOutcome.AGENT_ERROR,
          0,
          "cannot prepare the job's working directory: " + e.getMessage());
    }
    if (job.getSecretFilesCount() == 0) {
      return executeSteps(directory, Map.of());
    }
    SecretFiles secrets;
    try {
      secrets =
          SecretFiles.write(
              workspace.workDir(), job.getJobId(), job.getAttempt(), job.getSecretFilesList());
    } catch (IllegalArgumentException | IOException e) {
      return outcome(
          JobOutcome.AGENT_ERROR, 0, "cannot write the job's secret files: " + e.getMessage());
    }
    try {
      return executeSteps(directory, Map.of(SECRETS_DIR_VARIABLE, secrets.directory().toString()));
    } finally {
      deleteSecrets(secrets);
    }
  }

  private void deleteSecrets(SecretFiles secrets) {
    try {
      secrets.close();
    } catch (IOException e) {
      // Said in the job's log, so that the user knows to look; the next start of the agent retries.
      logs.system("could not delete the job's secret files: " + e.getMessage());
      LOG.log(Level.WARNING, "could not delete the secret files of job " + job.getJobId(), e);
    }
  }

  private JobResult.Builder executeSteps(Path directory, Map<String, String> extraEnv) {
    long deadline =
        job.getTimeoutMillis() > 0
            ? System.nanoTime() + Duration.ofMillis(job.getTimeoutMillis()).toNanos()
            : Long.MAX_VALUE;
    int index = 0;
    for (Step step : job.getStepsList()) {
      index++;
      if (job.getTimeoutMillis() > 0 && System.nanoTime() - deadline >= 0) {
        stop(timedOut());
      }
      if (stop != null) {
        return outcome(stop.outcome(), 0, stop.message());
      }
      String name = step.getName().isEmpty() ? "step-" + index : step.getName();
      StepRun run = runStep(name, step.getCommand(), directory, extraEnv, deadline);
      if (run.startFailure() != null) {
        return outcome(JobOutcome.AGENT_ERROR, 0, run.startFailure());
      }
      StopRequest stopped = stop;
      if (stopped != null) {
        return outcome(stopped.outcome(), run.exitCode(), stopped.message());
      }
      if (run.exitCode() != 0) {
        return outcome(
            JobOutcome.FAILED,
            run.exitCode(),
            "step " + name + " failed with exit code " + run.exitCode());
      }
    }
    return outcome(JobOutcome.SUCCEEDED, 0, "all " + job.getStepsCount() + " step(s) succeeded");
  }

  private record StepRun(int exitCode, String startFailure) {}

  private StepRun runStep(
      String name, String command, Path directory, Map<String, String> extraEnv, long deadline) {
    logs.system("step " + name + " started");
    long started = System.nanoTime();
    ProcessBuilder builder =
        new ProcessBuilder("/bin/sh", "-c", command)
            .directory(directory.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.putAll(baseEnvironment);
    environment.putAll(job.getEnvMap());
    environment.putAll(extraEnv);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      String message = "cannot start /bin/sh for step " + name + ": " + e.getMessage();
      logs.system(message);
      return new StepRun(0, message);
    }
    Thread out = pump(process, LogStream.STDOUT, name);
    Thread err = pump(process, LogStream.STDERR, name);
    boolean stopNow;
    synchronized (this) {
      current = process;
      stopNow = stop != null;
    }
    if (stopNow) {
      ProcessTree.terminate(process.toHandle(), stop.grace());
    }
    int exitCode = awaitExit(process, deadline);
    synchronized (this) {
      current = null;
    }
    drain(out, name);
    drain(err, name);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    logs.system(
        "step " + name + " finished (exit " + exitCode + ", took " + Durations.human(took) + ")");
    return new StepRun(exitCode, null);
  }

  private int awaitExit(Process process, long deadline) {
    try {
      if (deadline == Long.MAX_VALUE) {
        return process.waitFor();
      }
      long remaining = deadline - System.nanoTime();
      if (remaining > 0 && process.waitFor(remaining, java.util.concurrent.TimeUnit.NANOSECONDS)) {
        return process.exitValue();
      }
      stop(timedOut());
      return process.waitFor();
    } catch (InterruptedException e) {
      // Only the agent's own exit interrupts a job thread; leave nothing behind.
      Thread.currentThread().interrupt();
      ProcessTree.terminate(process.toHandle(), Duration.ZERO);
      throw new IllegalStateException("interrupted while waiting for a step", e);
    }
  }

  private StopRequest timedOut() {
    return new StopRequest(
        JobOutcome.TIMED_OUT,
        "the job exceeded its timeout of "
            + Durations.human(Duration.ofMillis(job.getTimeoutMillis())),
        TIMEOUT_GRACE);
  }

  private Thread pump(Process process, LogStream stream, String step) {
    var input = stream == LogStream.STDOUT ? process.getInputStream() : process.getErrorStream();
    Thread thread = new Thread(new LinePump(input, stream, step, logs, masker), "job-" + stream);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void drain(Thread pump, String step) {
    try {
      pump.join(DRAIN_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the output of " + step, e);
    }
    if (pump.isAlive()) {
      // A background process the step left running still holds the pipe open.
      logs.system(
          "step "
              + step
              + " left a background process holding its output open; further output is not"
              + " collected");
    }
  }

  private JobResult.Builder outcome(JobOutcome outcome, int exitCode, String message) {
    return JobResult.newBuilder()
        .setJobId(job.getJobId())
        .setAttempt(job.getAttempt())
        .setOutcome(outcome)
        .setExitCode(exitCode)
        .setMessage(message);
  }
}
