package io.hodei.core.governance;

import static io.hodei.core.governance.Fixtures.instance;
import static io.hodei.core.governance.Fixtures.job;
import static io.hodei.core.governance.Fixtures.pool;
import static io.hodei.core.governance.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.decision.ReasonCode;
import io.hodei.core.governance.selection.PlacementStrategy;
import io.hodei.core.governance.snapshot.IdleWorker;
import io.hodei.core.governance.snapshot.PoolState;
import io.hodei.core.governance.snapshot.ProviderHealthState;
import io.hodei.core.governance.snapshot.Rate;
import io.hodei.plugin.api.Resources;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoolSelectionTest {

  private static final Instant LATER = Instant.parse("2026-01-06T00:00:00Z");

  @Test
  void theHigherPriorityPoolIsChosenEvenWhenDearerAndBusier() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("cloud").label("ci", "yes").priority(1).rate(new Rate(5, 0, 0)))
                .pool(pool("onprem").label("ci", "yes").priority(0))
                .job(job("j1", "acme").selector("ci=yes"))
                .build());

    assertThat(passes.poolOf("j1")).isEqualTo("cloud");
  }

  @Test
  void aLowerPriorityPoolTakesTheJobWhenTheHigherCannotNow() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("onprem").label("ci", "yes").priority(10).workers(1))
                .pool(pool("cloud").label("ci", "yes").priority(0))
                .job(job("j1", "acme").selector("ci=yes"))
                .job(job("j2", "acme").selector("ci=yes"))
                .build());

    assertThat(passes.poolOf("j1")).isEqualTo("onprem");
    assertThat(passes.poolOf("j2")).isEqualTo("cloud");
  }

  @Test
  void binPackFillsTheBusiestPoolThatFits() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("a").label("ci", "yes").workers(4))
                .pool(pool("b").label("ci", "yes").workers(4))
                .reservation("r1", "b", "acme", Resources.of(100, 100))
                .jobs(4, "acme", job -> job.selector("ci=yes"))
                .build(),
            PlacementStrategy.BIN_PACK);

    // b is busier: it takes jobs until full, then a takes the rest.
    assertThat(passes.decisions)
        .extracting(decision -> ((Decision.Provision) decision).claim().pool())
        .containsExactly("b", "b", "b", "a");
  }

  @Test
  void spreadUsesTheLeastBusyPool() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("a").label("ci", "yes").workers(4))
                .pool(pool("b").label("ci", "yes").workers(4))
                .reservation("r1", "b", "acme", Resources.of(100, 100))
                .jobs(4, "acme", job -> job.selector("ci=yes"))
                .build(),
            PlacementStrategy.SPREAD);

    // a is idler: it catches up with b, then they alternate (a first on a tie, by name).
    assertThat(passes.decisions)
        .extracting(decision -> ((Decision.Provision) decision).claim().pool())
        .containsExactly("a", "a", "b", "a");
  }

  @Test
  void amongEqualPoolsTheCheaperPerHourWins() {
    Passes passes =
        Passes.run(
            snapshot()
                // 0.10 per worker-hour, against 0.04 per vCPU-hour and 0.01 per GiB-hour: for a
                // job of 2 vCPU and 2 GiB the second costs 0.10 too, the third less.
                .pool(pool("flat").label("ci", "yes").rate(new Rate(0.10, 0, 0)))
                .pool(pool("dear").label("ci", "yes").rate(new Rate(0, 0.05, 0.02)))
                .pool(pool("cheap").label("ci", "yes").rate(new Rate(0, 0.04, 0.01)))
                .job(job("j1", "acme").selector("ci=yes").resources(2000, 2048))
                .build());

    assertThat(passes.poolOf("j1")).isEqualTo("cheap");
  }

  @Test
  void amongEqualPoolsAHealthyProviderComesBeforeADegradedOneAndThatBeforeAnUnknownOne() {
    var builder =
        snapshot()
            .instance(instance("i-unknown").health(ProviderHealthState.UNKNOWN))
            .instance(instance("i-degraded").health(ProviderHealthState.DEGRADED))
            .instance(instance("i-healthy").health(ProviderHealthState.HEALTHY))
            .pool(pool("a").label("ci", "yes").instance("i-unknown"))
            .pool(pool("b").label("ci", "yes").instance("i-degraded"));

    assertThat(Passes.run(builder.job(job("j1", "acme").selector("ci=yes")).build()).poolOf("j1"))
        .isEqualTo("b");
    assertThat(
            Passes.run(builder.pool(pool("c").label("ci", "yes").instance("i-healthy")).build())
                .poolOf("j1"))
        .isEqualTo("c");
  }

  @Test
  void aPinnedPoolIsUsedAsItIsWithTheSameChecks() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("default").priority(0))
                .pool(pool("better").priority(10))
                .pool(pool("drain").state(PoolState.DRAINING))
                .job(job("j1", "acme").pool("default"))
                .job(job("j2", "acme").pool("drain"))
                .build());

    assertThat(passes.poolOf("j1")).isEqualTo("default");
    assertThat(passes.waits("j2").code()).isEqualTo(ReasonCode.POOL_DRAINING);
  }

  @Test
  void aTenantsOwnPoolIsACandidateOnlyForThatTenant() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("acme-only").label("ci", "yes").priority(10).owner("acme"))
                .pool(pool("shared").label("ci", "yes"))
                .job(job("a", "acme").selector("ci=yes"))
                .job(job("g", "globex").selector("ci=yes"))
                .build());

    assertThat(passes.poolOf("a")).isEqualTo("acme-only");
    assertThat(passes.poolOf("g")).isEqualTo("shared");
  }

  @Test
  void anIdleWorkerOfTheSameShapeIsReusedBeforeANewOneIsStarted() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("default"))
                .idle(idle("w1", Resources.of(2000, 1024), LATER))
                .idle(idle("w2", Resources.of(1000, 1024), LATER))
                .job(job("j1", "acme"))
                .job(job("j2", "acme"))
                .build());

    Decision.Reuse reuse = (Decision.Reuse) passes.of("j1");
    assertThat(reuse.workerId()).isEqualTo("w2");
    assertThat(reuse.claim().tenant()).isEqualTo("acme");
    // w2 is given out once; w1 has another size.
    assertThat(passes.provisions("j2").retireWorkerId()).isEmpty();
  }

  @Test
  void anIdleWorkerWhoseLifetimeEndsBeforeTheJobCouldIsNotReused() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("default"))
                .idle(idle("w1", Resources.of(1000, 1024), Instant.parse("2026-01-05T09:30:00Z")))
                .job(job("j1", "acme"))
                .build());

    assertThat(passes.of("j1")).isInstanceOf(Decision.Provision.class);
  }

  @Test
  void aFullPoolRetiresAnIdleWorkerThatCannotRunTheJobToMakeRoom() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("default").workers(2))
                .reservation("r1", "default", "acme", Resources.of(1000, 1024))
                .idle(idle("w-other", Resources.of(4000, 8192), LATER))
                .job(job("j1", "acme"))
                .job(job("j2", "acme"))
                .build());

    assertThat(passes.provisions("j1").retireWorkerId()).contains("w-other");
    assertThat(passes.waits("j2").code()).isEqualTo(ReasonCode.POOL_FULL);
  }

  private static IdleWorker idle(String id, Resources resources, Instant lifetimeEnd) {
    return new IdleWorker(id, "default", Optional.empty(), resources, 10, lifetimeEnd);
  }
}
