package io.hodei.core.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.core.workers.UnconfirmedWorkers.Adopt;
import io.hodei.core.workers.UnconfirmedWorkers.Retry;
import io.hodei.plugin.api.WorkerHandle;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnconfirmedWorkersTest {

  @Test
  void aWorkerTheProviderHasIsAdoptedWithItsHandleAndOneItLacksIsRetried() {
    WorkerHandle started = new WorkerHandle("w-1", "pid-42", Map.of("pgid", "42"));

    var decisions =
        UnconfirmedWorkers.decide(
            "local", List.of("w-1", "w-2"), List.of(new WorkerHandle("w-other", "pid-7"), started));

    assertThat(decisions)
        .containsExactly(
            new Adopt("w-1", started),
            new Retry(
                "w-2",
                "the server stopped before provider local confirmed worker w-2, and the provider"
                    + " does not have it"));
  }

  @Test
  void anEmptyListRetriesEveryUnconfirmedWorkerOnce() {
    assertThat(UnconfirmedWorkers.decide("docker", List.of("w-1", "w-1", "w-3"), List.of()))
        .extracting(UnconfirmedWorkers.Decision::workerId)
        .containsExactly("w-1", "w-3");
    assertThat(UnconfirmedWorkers.decide("docker", List.of("w-1", "w-3"), List.of()))
        .allSatisfy(decision -> assertThat(decision).isInstanceOf(Retry.class));
  }

  @Test
  void workersTheProviderListsButNobodyAwaitsAreNotThisDecisionsBusiness() {
    // Orphans are the orphan sweep's: nothing is decided for them here.
    assertThat(
            UnconfirmedWorkers.decide(
                "local", List.of(), List.of(new WorkerHandle("w-orphan", "pid-9"))))
        .isEmpty();
  }
}
