package io.hodei.core.governance;

import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.selection.PlacementStrategy;
import io.hodei.core.governance.snapshot.GovernanceSnapshot;
import io.hodei.core.governance.snapshot.PendingJob;
import io.hodei.core.jobs.JobSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, for every pending job of a snapshot at once, whether it reuses a worker, gets a new one
 * in some pool, or waits and why. Pure: it reads the snapshot and the clock, and changes nothing.
 */
public final class GlobalResourceController {

  /** The job id a plan for a spec carries, since the job is never stored. */
  public static final String PLANNED_JOB_ID = "planned";

  private final PlacementStrategy strategy;

  /** A controller that chooses among equal pools with {@code strategy}. */
  public GlobalResourceController(PlacementStrategy strategy) {
    this.strategy = strategy;
  }

  /** One decision per pending job of {@code snapshot}, in its queue order. */
  public List<Decision> decide(GovernanceSnapshot snapshot, Clock clock) {
    return new Pass(snapshot, strategy, clock.instant()).run();
  }

  /**
   * What would happen to {@code job} if it were submitted now, behind every job already pending:
   * where it would run, or why it would wait. Nothing is stored.
   */
  public Decision plan(GovernanceSnapshot snapshot, PendingJob job, Clock clock) {
    List<PendingJob> pending = new ArrayList<>(snapshot.pending());
    pending.add(job);
    List<Decision> decisions = decide(snapshot.withPending(pending), clock);
    return decisions.get(decisions.size() - 1);
  }

  /** {@link #plan(GovernanceSnapshot, PendingJob, Clock)} for a job spec of {@code tenant}. */
  public Decision plan(GovernanceSnapshot snapshot, String tenant, JobSpec spec, Clock clock) {
    return plan(snapshot, PendingJob.of(PLANNED_JOB_ID, tenant, spec, clock.instant()), clock);
  }
}
