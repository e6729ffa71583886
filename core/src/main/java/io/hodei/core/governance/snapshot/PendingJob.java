package io.hodei.core.governance.snapshot;

import io.hodei.core.jobs.JobSpec;
import io.hodei.plugin.api.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A job waiting for a worker, as the resource controller sees it.
 *
 * @param id the job's id
 * @param tenant its tenant
 * @param choice its pinned pool or pool selector
 * @param resources what its worker needs
 * @param image its image, which a reused worker must run
 * @param timeout how long it may run; a reused worker must live that long
 * @param submittedAt when it was submitted
 * @param backoffUntil until when it waits before its next attempt; empty when it may run now
 */
public record PendingJob(
    String id,
    String tenant,
    PoolChoice choice,
    Resources resources,
    Optional<String> image,
    Duration timeout,
    Instant submittedAt,
    Optional<Instant> backoffUntil) {

  /** A job built from a spec: its pinned pool, or its pool selector. */
  public static PendingJob of(String id, String tenant, JobSpec spec, Instant submittedAt) {
    return new PendingJob(
        id,
        tenant,
        spec.selectsPool()
            ? PoolChoice.selector(spec.poolSelector())
            : PoolChoice.pinned(spec.pool()),
        spec.resources(),
        spec.image(),
        spec.timeout(),
        submittedAt,
        Optional.empty());
  }
}
