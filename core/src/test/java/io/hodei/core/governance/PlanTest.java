package io.hodei.core.governance;

import static io.hodei.core.governance.Fixtures.job;
import static io.hodei.core.governance.Fixtures.pool;
import static io.hodei.core.governance.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.decision.QueuePosition;
import io.hodei.core.governance.decision.ReasonCode;
import io.hodei.core.governance.selection.PlacementStrategy;
import io.hodei.core.jobs.JobSpec;
import io.hodei.core.jobs.Step;
import io.hodei.plugin.api.Resources;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanTest {

  private final GlobalResourceController controller =
      new GlobalResourceController(PlacementStrategy.BIN_PACK);
  private final TestClock clock = new TestClock();

  @Test
  void aPlanSaysWhereTheJobWouldRunNow() {
    Decision plan =
        controller.plan(snapshot().pool(pool("default")).build(), "acme", spec("default"), clock);

    assertThat(plan).isInstanceOf(Decision.Provision.class);
    assertThat(((Decision.Provision) plan).claim().pool()).isEqualTo("default");
  }

  @Test
  void aPlanCountsTheJobsAlreadyPendingAheadOfIt() {
    var snapshot = snapshot().pool(pool("default").workers(1)).job(job("j1", "acme")).build();

    Decision plan = controller.plan(snapshot, "acme", spec("default"), clock);

    Decision.Wait wait = (Decision.Wait) plan;
    assertThat(wait.code()).isEqualTo(ReasonCode.POOL_FULL);
    assertThat(wait.position()).isEqualTo(new QueuePosition(2, 2));
    // Planning stored nothing: the pending job still gets the worker.
    assertThat(Passes.run(snapshot).poolOf("j1")).isEqualTo("default");
  }

  @Test
  void aPlanForAPoolThatDoesNotExistSaysSo() {
    Decision.Wait wait =
        (Decision.Wait)
            controller.plan(snapshot().pool(pool("default")).build(), "acme", spec("gpu"), clock);

    assertThat(wait.code()).isEqualTo(ReasonCode.NO_MATCHING_POOL);
  }

  private static JobSpec spec(String pool) {
    return new JobSpec(
        "build",
        List.of(new Step("main", "make")),
        Optional.empty(),
        null,
        null,
        Resources.of(1000, 1024),
        null,
        null,
        null,
        pool,
        null,
        null);
  }
}
