package io.hodei.core.jobs;

import java.time.Duration;

/**
 * The control plane's line to connected workers. Each method returns whether the message was handed
 * to a live connection; {@code false} means the worker is not connected to this server now, and the
 * caller decides what to do (wait for a reconnect, give the worker up).
 */
public interface WorkerChannel {

  boolean runJob(String workerId, JobAssignment assignment);

  boolean cancelJob(String workerId, String jobId, int attempt, String reason, Duration grace);

  boolean shutdown(String workerId, String reason);

  /** Whether the worker holds a live connection to this server. */
  boolean isConnected(String workerId);
}
