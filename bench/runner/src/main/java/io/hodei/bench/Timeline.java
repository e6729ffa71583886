package io.hodei.bench;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When things happened, as seen by the benchmark: a job's submission, a worker's provision call
 * arriving at the handoff endpoint, a RunJob arriving at a simulated agent. All times are this
 * host's wall clock, which the server on the same host shares, so they compare with the server's
 * recorded event times.
 */
final class Timeline {

  private final Map<UUID, Instant> submitted = new ConcurrentHashMap<>();
  private final Map<String, Instant> provisioned = new ConcurrentHashMap<>();
  private final Map<String, Instant> runJobs = new ConcurrentHashMap<>();

  void submitted(UUID jobId, Instant at) {
    submitted.put(jobId, at);
  }

  void provisionCalled(String workerId, Instant at) {
    provisioned.putIfAbsent(workerId, at);
  }

  void runJobReceived(String jobId, Instant at) {
    runJobs.putIfAbsent(jobId, at);
  }

  Optional<Instant> submittedAt(UUID jobId) {
    return Optional.ofNullable(submitted.get(jobId));
  }

  Optional<Instant> provisionCalledAt(UUID workerId) {
    return workerId == null
        ? Optional.empty()
        : Optional.ofNullable(provisioned.get(workerId.toString()));
  }

  Optional<Instant> runJobReceivedAt(UUID jobId) {
    return Optional.ofNullable(runJobs.get(jobId.toString()));
  }
}
