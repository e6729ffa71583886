package io.hodei.bench;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs one batch of submissions to its end and measures it: waits until every job is final, lets
 * the database publish its statistics, then reads the counters and each job's recorded end.
 */
final class Scenario {

  /** Backends publish transaction statistics at the latest this long after going idle. */
  static final Duration STATS_SETTLE = Duration.ofSeconds(11);

  /** No job ending for this long means the server is stuck; the scenario stops waiting. */
  static final Duration STALL = Duration.ofSeconds(30);

  private static final Duration POLL = Duration.ofMillis(50);

  /** Submits the scenario's jobs. */
  @FunctionalInterface
  interface Submission {
    Submitter.Submitted submit() throws InterruptedException;
  }

  private final BenchDatabase db;
  private final ServerProcess server;
  private final Timeline timeline;
  private final AgentFleet fleet;

  Scenario(BenchDatabase db, ServerProcess server, Timeline timeline, AgentFleet fleet) {
    this.db = db;
    this.server = server;
    this.timeline = timeline;
    this.fleet = fleet;
  }

  ScenarioResult run(String name, Submission submission, Duration timeout) throws Exception {
    int agentFailuresBefore = fleet.failures();
    db.resetStatements();
    BenchDatabase.Counters before = db.counters();
    Submitter.Submitted submitted = submission.submit();
    int unfinished = awaitFinal(submitted.jobIds(), timeout);
    long heap = server.heapUsedBytes();
    ServerProcess.Memory memory = server.memory();
    Thread.sleep(STATS_SETTLE.toMillis());
    BenchDatabase.Counters after = db.counters();
    Map<UUID, BenchDatabase.Final> finals = db.finals(submitted.jobIds());
    PlacementPasses passes = PlacementPasses.of(db.placementPasses(submitted.jobIds()));
    List<String> statements = db.topStatements(8);

    List<Duration> decision = new ArrayList<>();
    List<Duration> toRunJob = new ArrayList<>();
    List<Duration> toFinal = new ArrayList<>();
    Map<String, List<Duration>> stages = new LinkedHashMap<>();
    for (String stage :
        List.of(
            ScenarioResult.QUEUED,
            ScenarioResult.PROVISIONING,
            ScenarioResult.STARTING,
            ScenarioResult.RUNNING)) {
      stages.put(stage, new ArrayList<>());
    }
    Instant first = null;
    Instant last = null;
    int succeeded = 0;
    for (UUID id : submitted.jobIds()) {
      Instant submittedAt = timeline.submittedAt(id).orElseThrow();
      first = first == null || submittedAt.isBefore(first) ? submittedAt : first;
      BenchDatabase.Final end = finals.get(id);
      if (end == null) {
        continue;
      }
      if (end.state().equals("SUCCEEDED")) {
        succeeded++;
      }
      last = last == null || end.at().isAfter(last) ? end.at() : last;
      toFinal.add(Duration.between(submittedAt, end.at()));
      Optional<Instant> provisioned =
          timeline.provisionCalledAt(end.workerId()).filter(at -> !at.isBefore(submittedAt));
      Optional<Instant> runJob = timeline.runJobReceivedAt(id);
      provisioned.ifPresent(at -> decision.add(Duration.between(submittedAt, at)));
      runJob.ifPresent(at -> toRunJob.add(Duration.between(submittedAt, at)));
      Instant placed = end.placedAt();
      if (placed != null) {
        stages.get(ScenarioResult.QUEUED).add(Duration.between(submittedAt, placed));
        provisioned.ifPresent(
            at -> stages.get(ScenarioResult.PROVISIONING).add(Duration.between(placed, at)));
        Instant started = provisioned.orElse(placed);
        runJob.ifPresent(
            at -> stages.get(ScenarioResult.STARTING).add(Duration.between(started, at)));
      }
      runJob.ifPresent(
          at -> stages.get(ScenarioResult.RUNNING).add(Duration.between(at, end.at())));
    }
    int jobs = submitted.jobIds().size();
    long ownStatements = after.ownStatements() - before.ownStatements();
    List<String> problems = new ArrayList<>();
    if (!submitted.failures().isEmpty()) {
      problems.add(submitted.failures().size() + " refused (" + submitted.failures().get(0) + ")");
    }
    if (unfinished > 0) {
      problems.add(
          unfinished
              + " not final (timeout "
              + timeout.toSeconds()
              + " s, or none ended for "
              + STALL.toSeconds()
              + " s; see the server log)");
    }
    if (finals.size() - succeeded > 0) {
      problems.add((finals.size() - succeeded) + " ended otherwise");
    }
    int agentFailures = fleet.failures() - agentFailuresBefore;
    if (agentFailures > 0) {
      problems.add(agentFailures + " agent streams failed (" + fleet.lastFailure() + ")");
    }
    return new ScenarioResult(
        name,
        jobs,
        succeeded,
        String.join("; ", problems),
        first == null || last == null ? Duration.ZERO : Duration.between(first, last),
        Percentiles.of(decision),
        Percentiles.of(toRunJob),
        Percentiles.of(toFinal),
        percentiles(stages),
        passes,
        statements,
        heap,
        memory,
        jobs == 0 ? 0 : (after.commits() - before.commits() - ownStatements) / (double) jobs,
        jobs == 0 ? 0 : (after.nextXid() - before.nextXid()) / (double) jobs);
  }

  private static Map<String, Percentiles> percentiles(Map<String, List<Duration>> samples) {
    Map<String, Percentiles> result = new LinkedHashMap<>();
    samples.forEach((stage, durations) -> result.put(stage, Percentiles.of(durations)));
    return result;
  }

  /**
   * Waits until every job is final; returns how many are not when the timeout passes, or when no
   * job has ended for {@link #STALL} (a server that stopped making progress).
   */
  int awaitFinal(List<UUID> jobIds, Duration timeout) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int unfinished = db.unfinished(jobIds);
    long lastProgress = System.nanoTime();
    while (unfinished > 0 && System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
      int now = db.unfinished(jobIds);
      if (now < unfinished) {
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
        return now;
      }
      unfinished = now;
    }
    return unfinished;
  }
}
