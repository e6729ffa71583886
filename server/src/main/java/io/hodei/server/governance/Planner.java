package io.hodei.server.governance;

import io.hodei.core.governance.GlobalResourceController;
import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.snapshot.PendingJob;
import io.hodei.core.jobs.JobSpec;
import io.hodei.server.controller.ControllerSettings;
import io.hodei.server.jobs.JobEntity;
import io.hodei.server.jobs.JobSpecCodec;
import io.hodei.server.jobs.WaitReason;
import io.hodei.server.persistence.Db;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/**
 * Answers what would happen to a job submitted now, behind every job already pending, without
 * storing anything: the resource controller's plan over the current snapshot.
 */
@ApplicationScoped
public class Planner {

  private final Db db;
  private final GovernanceSnapshots snapshots;
  private final JobSpecCodec specs;
  private final ControllerSettings settings;
  private final GlobalResourceController grc;
  private final Clock clock;

  public Planner(
      Db db,
      GovernanceSnapshots snapshots,
      JobSpecCodec specs,
      ControllerSettings settings,
      GovernanceSettings governance,
      Clock clock) {
    this.db = db;
    this.snapshots = snapshots;
    this.specs = specs;
    this.settings = settings;
    this.grc = new GlobalResourceController(governance.strategy());
    this.clock = clock;
  }

  /** What would happen now. */
  public enum Outcome {
    /** It would run on an idle worker. */
    REUSE,
    /** A new worker would be started for it. */
    PROVISION,
    /** It would wait; {@code waitReason} says why. */
    WAIT
  }

  /**
   * The answer to a plan.
   *
   * @param outcome what would happen
   * @param pool the pool it would run in; null when it would wait
   * @param providerInstance that pool's provider instance; null when it would wait
   * @param workerId the idle worker it would reuse, if any
   * @param retiresWorkerId an idle worker that would be retired to make room, if any
   * @param waitReason why it would wait; null when it would run
   */
  public record PlanView(
      Outcome outcome,
      String pool,
      String providerInstance,
      String workerId,
      String retiresWorkerId,
      WaitReason waitReason) {}

  public Uni<PlanView> plan(String tenant, JobSpec spec) {
    Instant now = clock.instant();
    return db.tx(
            session ->
                session
                    .createSelectionQuery(
                        "from JobEntity where state = :pending and nextAttemptAt <= :now"
                            + " order by nextAttemptAt, createdAt",
                        JobEntity.class)
                    .setParameter("pending", io.hodei.core.jobs.JobState.PENDING)
                    .setParameter("now", now)
                    .setMaxResults(settings.batchSize())
                    .getResultList()
                    .map(
                        jobs ->
                            jobs.stream()
                                .map(
                                    job ->
                                        PendingJob.of(
                                            job.id.toString(),
                                            job.tenant,
                                            specs.read(job),
                                            job.createdAt))
                                .toList())
                    .chain(pending -> snapshots.load(session, pending, now)))
        .map(snapshot -> view(grc.plan(snapshot, tenant, spec, clock)));
  }

  private static PlanView view(Decision decision) {
    if (decision instanceof Decision.Reuse reuse) {
      return new PlanView(
          Outcome.REUSE,
          reuse.claim().pool(),
          reuse.claim().providerInstance(),
          reuse.workerId(),
          null,
          null);
    }
    if (decision instanceof Decision.Provision provision) {
      return new PlanView(
          Outcome.PROVISION,
          provision.claim().pool(),
          provision.claim().providerInstance(),
          null,
          provision.retireWorkerId().orElse(null),
          null);
    }
    return new PlanView(
        Outcome.WAIT, null, null, null, null, WaitReason.of((Decision.Wait) decision));
  }
}
