package io.hodei.bench.grc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.core.governance.GlobalResourceController;
import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.selection.PlacementStrategy;
import io.hodei.core.governance.snapshot.GovernanceSnapshot;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  @Test
  void theDefaultScenarioIsTenThousandJobsOverFiftyPoolsAndTwentyTenants() {
    GrcBench.BenchOptions options = GrcBench.BenchOptions.parse(new String[0]);
    GovernanceSnapshot snapshot =
        new Scenario(options.jobs(), options.pools(), options.tenants(), options.seed()).snapshot();

    assertThat(snapshot.pending()).hasSize(10_000);
    assertThat(snapshot.pools()).hasSize(50);
    assertThat(snapshot.pending().stream().map(job -> job.tenant()).distinct()).hasSize(20);
  }

  @Test
  void aPassOverTheScenarioBothAdmitsAndKeepsJobsWaiting() {
    GovernanceSnapshot snapshot = new Scenario(2_000, 50, 20, 1).snapshot();

    List<Decision> decisions =
        new GlobalResourceController(PlacementStrategy.BIN_PACK)
            .decide(snapshot, Clock.fixed(Scenario.NOW, ZoneOffset.UTC));

    assertThat(decisions).hasSize(2_000);
    assertThat(decisions).anyMatch(decision -> decision instanceof Decision.Provision);
    assertThat(decisions).anyMatch(decision -> decision instanceof Decision.Reuse);
    assertThat(decisions).anyMatch(decision -> decision instanceof Decision.Wait);
  }

  @Test
  void anUnknownOptionIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> GrcBench.BenchOptions.parse(new String[] {"--fast", "1"}))
        .hasMessageContaining("unknown option --fast");
  }
}
