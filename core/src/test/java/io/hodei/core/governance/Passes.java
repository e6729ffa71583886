package io.hodei.core.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.selection.PlacementStrategy;
import io.hodei.core.governance.snapshot.GovernanceSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a pass and finds its decisions by job id. */
final class Passes {

  private final Map<String, Decision> byJob = new LinkedHashMap<>();
  final List<Decision> decisions;

  private Passes(List<Decision> decisions) {
    this.decisions = decisions;
    decisions.forEach(decision -> byJob.put(decision.jobId(), decision));
  }

  static Passes run(GovernanceSnapshot snapshot) {
    return run(snapshot, PlacementStrategy.BIN_PACK);
  }

  static Passes run(GovernanceSnapshot snapshot, PlacementStrategy strategy) {
    return run(snapshot, strategy, new TestClock());
  }

  static Passes run(GovernanceSnapshot snapshot, PlacementStrategy strategy, TestClock clock) {
    return new Passes(new GlobalResourceController(strategy).decide(snapshot, clock));
  }

  Decision of(String jobId) {
    return byJob.get(jobId);
  }

  Decision.Wait waits(String jobId) {
    assertThat(of(jobId)).isInstanceOf(Decision.Wait.class);
    return (Decision.Wait) of(jobId);
  }

  Decision.Provision provisions(String jobId) {
    assertThat(of(jobId)).isInstanceOf(Decision.Provision.class);
    return (Decision.Provision) of(jobId);
  }

  /** The pool each job got, or "wait". */
  String poolOf(String jobId) {
    Decision decision = of(jobId);
    if (decision instanceof Decision.Provision provision) {
      return provision.claim().pool();
    }
    if (decision instanceof Decision.Reuse reuse) {
      return reuse.claim().pool();
    }
    return "wait";
  }

  long admittedOf(String tenant) {
    return decisions.stream()
        .filter(decision -> !(decision instanceof Decision.Wait))
        .filter(decision -> tenantOf(decision).equals(tenant))
        .count();
  }

  private static String tenantOf(Decision decision) {
    if (decision instanceof Decision.Provision provision) {
      return provision.claim().tenant();
    }
    return ((Decision.Reuse) decision).claim().tenant();
  }
}
