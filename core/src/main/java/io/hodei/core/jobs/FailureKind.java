package io.hodei.core.jobs;

/**
 * Why an attempt of a job did not succeed. The difference matters: by default only infrastructure
 * failures are retried, because running a failing build again rarely helps.
 */
public enum FailureKind {
  /** The job's own commands failed (a non-zero exit code). */
  JOB,
  /** The worker was lost, or could not be provisioned in time, or the agent could not run it. */
  INFRASTRUCTURE
}
