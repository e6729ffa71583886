package io.hodei.core.governance.selection;

import io.hodei.core.governance.snapshot.GovernedPool;
import io.hodei.core.governance.snapshot.IdleWorker;
import io.hodei.core.governance.snapshot.ProviderInstanceInfo;
import java.util.Optional;

/**
 * A pool that can take a job now, with what ranks it among the others.
 *
 * @param pool the pool
 * @param instance its provider instance
 * @param reuse an idle worker of the pool that can run the job as it is
 * @param retire an idle worker of the pool to retire to make room; only without {@code reuse}
 * @param busy the pool's utilization before the job: its largest used fraction in any dimension
 * @param costPerHour what a worker for the job costs per hour in this pool
 */
public record Candidate(
    GovernedPool pool,
    ProviderInstanceInfo instance,
    Optional<IdleWorker> reuse,
    Optional<IdleWorker> retire,
    double busy,
    double costPerHour) {}
