package io.hodei.core.governance;

import io.hodei.core.governance.snapshot.IdleWorker;
import io.hodei.core.governance.snapshot.PendingJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The idle workers of a pass by pool, each given out at most once. */
final class IdleWorkers {

  private final Map<String, List<IdleWorker>> byPool = new HashMap<>();
  private final Set<String> taken = new HashSet<>();

  IdleWorkers(List<IdleWorker> workers) {
    workers.forEach(
        worker -> byPool.computeIfAbsent(worker.pool(), key -> new ArrayList<>()).add(worker));
  }

  /** The oldest idle worker of {@code pool} that can run {@code job} as it is. */
  Optional<IdleWorker> reusable(String pool, PendingJob job, Instant now) {
    for (IdleWorker worker : byPool.getOrDefault(pool, List.of())) {
      if (!taken.contains(worker.id()) && fits(worker, job, now)) {
        return Optional.of(worker);
      }
    }
    return Optional.empty();
  }

  /** The oldest idle worker of {@code pool} that cannot run {@code job}: the one to retire. */
  Optional<IdleWorker> retirable(String pool, PendingJob job, Instant now) {
    for (IdleWorker worker : byPool.getOrDefault(pool, List.of())) {
      if (!taken.contains(worker.id()) && !fits(worker, job, now)) {
        return Optional.of(worker);
      }
    }
    return Optional.empty();
  }

  void take(IdleWorker worker) {
    taken.add(worker.id());
  }

  // As placement does today: same image and size, a job left, and lifetime for the job's timeout.
  private static boolean fits(IdleWorker worker, PendingJob job, Instant now) {
    return worker.jobsLeft() > 0
        && worker.image().equals(job.image())
        && worker.resources().equals(job.resources())
        && !now.plus(job.timeout()).isAfter(worker.lifetimeEnd());
  }
}
