package io.hodei.agent.jobs;

import io.hodei.agent.logs.LogBatcher;
import io.hodei.agent.logs.LogMasker;
import io.hodei.agent.session.Outbox;
import io.hodei.agent.session.ServerCommands;
import io.hodei.protocol.v1.AgentMessage;
import io.hodei.protocol.v1.CancelJob;
import io.hodei.protocol.v1.JobAck;
import io.hodei.protocol.v1.JobOutcome;
import io.hodei.protocol.v1.JobResult;
import io.hodei.protocol.v1.RunJob;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs the jobs the control plane sends, one at a time, and answers for them: an ack when a job
 * starts, its log batches, its result. A job keeps running while the stream is down; the outbox
 * holds what it produces until the agent is connected again.
 */
public final class JobRunner implements ServerCommands {

  private static final Logger LOG = Logger.getLogger(JobRunner.class.getName());

  /** How often pending log lines are sent when fewer than a full batch arrived. */
  public static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);

  public static final int MAX_LINES_PER_BATCH = 100;

  /** Used when CancelJob carries no grace period. */
  public static final Duration DEFAULT_CANCEL_GRACE = Duration.ofSeconds(10);

  private final JobWorkspace workspace;
  private final Map<String, String> baseEnvironment;
  private final Outbox outbox;
  private final ScheduledExecutorService scheduler;
  private JobExecution current; // guarded by this
  private JobResult lastResult; // guarded by this

  public JobRunner(
      Path workDir,
      Map<String, String> baseEnvironment,
      Outbox outbox,
      ScheduledExecutorService scheduler) {
    this.workspace = new JobWorkspace(workDir);
    try {
      SecretFiles.deleteLeftovers(workDir);
    } catch (IOException e) {
      LOG.warning("could not delete secret files an earlier run left behind: " + e.getMessage());
    }
    this.baseEnvironment = Map.copyOf(baseEnvironment);
    this.outbox = outbox;
    this.scheduler = scheduler;
  }

  @Override
  public synchronized void runJob(RunJob job) {
    if (current != null) {
      RunJob running = current.job();
      if (sameAttempt(running.getJobId(), running.getAttempt(), job.getJobId(), job.getAttempt())) {
        // The control plane re-sent the job after a reconnect: it is already running.
        outbox.sendReliably(ack(job));
        return;
      }
      LOG.warning("refusing job " + job.getJobId() + ": still running job " + running.getJobId());
      outbox.sendReliably(
          AgentMessage.newBuilder()
              .setResult(
                  JobResult.newBuilder()
                      .setJobId(job.getJobId())
                      .setAttempt(job.getAttempt())
                      .setOutcome(JobOutcome.AGENT_ERROR)
                      .setMessage(
                          "agent busy: it is running job "
                              + running.getJobId()
                              + " attempt "
                              + running.getAttempt()
                              + " and runs one job at a time"))
              .build());
      return;
    }
    if (lastResult != null
        && sameAttempt(
            lastResult.getJobId(), lastResult.getAttempt(), job.getJobId(), job.getAttempt())) {
      // Already done: the result may have been lost with a broken stream, so send it again.
      outbox.sendReliably(AgentMessage.newBuilder().setResult(lastResult).build());
      return;
    }
    outbox.startNewJob();
    outbox.sendReliably(ack(job));
    LogMasker masker = LogMasker.of(maskedValues(job));
    LogBatcher logs =
        new LogBatcher(
            job.getJobId(),
            job.getAttempt(),
            masker,
            batch -> outbox.sendReliably(AgentMessage.newBuilder().setLogs(batch).build()),
            MAX_LINES_PER_BATCH,
            System::currentTimeMillis);
    JobExecution execution = new JobExecution(job, workspace, baseEnvironment, logs, masker);
    current = execution;
    ScheduledFuture<?> flushing =
        scheduler.scheduleWithFixedDelay(
            logs::flush,
            FLUSH_INTERVAL.toMillis(),
            FLUSH_INTERVAL.toMillis(),
            TimeUnit.MILLISECONDS);
    LOG.info(
        "running job "
            + job.getJobId()
            + " attempt "
            + job.getAttempt()
            + " ("
            + job.getStepsCount()
            + " step(s))");
    Thread thread =
        new Thread(
            () -> {
              JobResult result = execution.run();
              flushing.cancel(false);
              finished(execution, result);
            },
            "job-" + job.getJobId());
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void cancelJob(CancelJob cancel) {
    JobExecution execution;
    synchronized (this) {
      execution = current;
    }
    if (execution == null
        || !sameAttempt(
            execution.job().getJobId(),
            execution.job().getAttempt(),
            cancel.getJobId(),
            cancel.getAttempt())) {
      LOG.info(
          "ignoring the cancellation of job " + cancel.getJobId() + ": it is not running here");
      return;
    }
    Duration grace =
        cancel.getGraceMillis() > 0
            ? Duration.ofMillis(cancel.getGraceMillis())
            : DEFAULT_CANCEL_GRACE;
    String reason = cancel.getReason().isEmpty() ? "no reason given" : cancel.getReason();
    LOG.info("cancelling job " + cancel.getJobId() + ": " + reason);
    stopAsync(execution, new StopRequest(JobOutcome.CANCELLED, "cancelled: " + reason, grace));
  }

  /** The job running now, if any. */
  public synchronized Optional<RunningJob> running() {
    return Optional.ofNullable(current)
        .map(e -> new RunningJob(e.job().getJobId(), e.job().getAttempt()));
  }

  /**
   * Cancels the running job, if any, and waits until its result is in the outbox or the grace
   * period (plus a little) has passed.
   */
  public void cancelAndWait(String reason, Duration grace) {
    JobExecution execution;
    synchronized (this) {
      execution = current;
    }
    if (execution == null) {
      return;
    }
    stopAsync(execution, new StopRequest(JobOutcome.CANCELLED, reason, grace));
    long deadline = System.nanoTime() + grace.plusSeconds(3).toNanos();
    synchronized (this) {
      while (current == execution) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
          LOG.warning("job " + execution.job().getJobId() + " did not stop in time");
          return;
        }
        try {
          wait(remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Kills the running job's processes at once; for when the agent exits. */
  public void killRunning() {
    JobExecution execution;
    synchronized (this) {
      execution = current;
    }
    if (execution != null) {
      LOG.info("killing the processes of job " + execution.job().getJobId());
      execution.kill();
    }
  }

  private void stopAsync(JobExecution execution, StopRequest request) {
    // Stopping waits for the grace period; never on the gRPC callback thread.
    Thread thread = new Thread(() -> execution.stop(request), "stop-" + execution.job().getJobId());
    thread.setDaemon(true);
    thread.start();
  }

  private synchronized void finished(JobExecution execution, JobResult result) {
    // Sent and released under one lock, so a RunJob the server sends on seeing this result never
    // finds the agent still busy.
    outbox.sendReliably(AgentMessage.newBuilder().setResult(result).build());
    LOG.info(
        "job "
            + result.getJobId()
            + " attempt "
            + result.getAttempt()
            + " ended: "
            + result.getOutcome()
            + " (exit "
            + result.getExitCode()
            + ")");
    lastResult = result;
    if (current == execution) {
      current = null;
    }
    notifyAll();
  }

  /**
   * What the server asked to mask, and the content of every secret file as well: a file's content
   * is a secret whether or not the server listed it.
   */
  static List<String> maskedValues(RunJob job) {
    List<String> values = new ArrayList<>(job.getMaskedValuesList());
    job.getSecretFilesList().forEach(file -> values.add(file.getContent().toStringUtf8()));
    return values;
  }

  private static AgentMessage ack(RunJob job) {
    return AgentMessage.newBuilder()
        .setAck(JobAck.newBuilder().setJobId(job.getJobId()).setAttempt(job.getAttempt()))
        .build();
  }

  private static boolean sameAttempt(String jobA, int attemptA, String jobB, int attemptB) {
    return jobA.equals(jobB) && attemptA == attemptB;
  }
}
