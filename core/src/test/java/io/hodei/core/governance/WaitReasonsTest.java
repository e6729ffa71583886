package io.hodei.core.governance;

import static io.hodei.core.governance.Fixtures.U;
import static io.hodei.core.governance.Fixtures.instance;
import static io.hodei.core.governance.Fixtures.job;
import static io.hodei.core.governance.Fixtures.limits;
import static io.hodei.core.governance.Fixtures.pool;
import static io.hodei.core.governance.Fixtures.quota;
import static io.hodei.core.governance.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.decision.PoolRejection;
import io.hodei.core.governance.decision.QueuePosition;
import io.hodei.core.governance.decision.ReasonCode;
import io.hodei.core.governance.selection.PlacementStrategy;
import io.hodei.core.governance.snapshot.PoolState;
import io.hodei.core.governance.snapshot.ProviderHealthState;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WaitReasonsTest {

  @Test
  void aPinnedPoolThatDoesNotExistIsNoMatchingPool() {
    Decision.Wait wait =
        Passes.run(snapshot().pool(pool("default")).job(job("j1", "acme").pool("gpu")).build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.NO_MATCHING_POOL);
    assertThat(wait.message()).isEqualTo("pool 'gpu': does not exist");
  }

  @Test
  void aSelectorThatNoPoolCarriesIsNoMatchingPool() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .pool(pool("eu").label("region", "eu"))
                    .job(job("j1", "acme").selector("region=us", "arch=arm64"))
                    .build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.NO_MATCHING_POOL);
    assertThat(wait.message())
        .isEqualTo("pool selector arch=arm64,region=us: no pool carries these labels");
  }

  @Test
  void anotherTenantsPoolDoesNotExistForTheJob() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("mine").owner("acme").label("team", "x"))
                .job(job("pinned", "globex").pool("mine"))
                .job(job("selected", "globex").selector("team=x"))
                .job(job("owner", "acme").pool("mine"))
                .build());

    assertThat(passes.waits("pinned").code()).isEqualTo(ReasonCode.NO_MATCHING_POOL);
    assertThat(passes.waits("selected").code()).isEqualTo(ReasonCode.NO_MATCHING_POOL);
    assertThat(passes.poolOf("owner")).isEqualTo("mine");
  }

  @Test
  void aFullPoolSaysWhichDimensionAndTheNumbers() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .pool(pool("default").capacity(8000, 65_536, 0, 10))
                    .reservation("a1", "default", "acme", Resources.of(6000, 1024))
                    .job(job("j1", "globex").resources(4000, 1024))
                    .build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.POOL_FULL);
    assertThat(wait.message())
        .isEqualTo("pool 'default': cpu 6000m of 8000m in use, this job needs 4000m");
    assertThat(wait.rejections()).extracting(PoolRejection::pool).containsExactly("default");
  }

  @Test
  void aPoolAtItsWorkerLimitIsFull() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .pool(pool("default").workers(1))
                    .reservation("a1", "default", "acme", Resources.of(100, 100))
                    .job(job("j1", "acme"))
                    .build())
            .waits("j1");

    assertThat(wait.message()).isEqualTo("pool 'default': workers 1 of 1 in use, this job needs 1");
  }

  @Test
  void aProviderInstanceAtItsLimitIsProviderLimit() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .instance(instance("docker").limits(U, U, 4096))
                    .pool(pool("default").instance("docker"))
                    .reservation("a1", "default", "acme", Resources.of(1000, 3072))
                    .job(job("j1", "acme").resources(1000, 2048))
                    .build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.PROVIDER_LIMIT);
    assertThat(wait.message())
        .isEqualTo(
            "provider instance 'docker' (shared by its pools): memory 3072 MiB of 4096 MiB in"
                + " use, this job needs 2048 MiB");
  }

  @Test
  void aTenantAtItsQuotaWaitsWithTheNumbers() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .pool(pool("default"))
                    .quota(quota("acme", limits(8000, U, U, U, U)))
                    .reservation("a1", "default", "acme", Resources.of(8000, 1024))
                    .job(job("j1", "acme").resources(2000, 1024))
                    .build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.TENANT_QUOTA);
    assertThat(wait.message())
        .isEqualTo("tenant 'acme' quota: cpu 8000m of 8000m in use, this job needs 2000m");
  }

  @Test
  void anUnhealthyProviderIsExcluded() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .instance(instance("docker").health(ProviderHealthState.UNHEALTHY))
                    .pool(pool("default").instance("docker"))
                    .job(job("j1", "acme"))
                    .build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.PROVIDER_UNHEALTHY);
    assertThat(wait.message()).isEqualTo("provider instance 'docker': is unhealthy");
  }

  @Test
  void anUnhealthyProvidersWaitCarriesWhatItsProviderSaid() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .instance(instance("docker").unhealthy("daemon not reachable"))
                    .pool(pool("default").instance("docker"))
                    .job(job("j1", "acme"))
                    .build())
            .waits("j1");

    assertThat(wait.message())
        .isEqualTo("provider instance 'docker': is unhealthy: daemon not reachable");
  }

  @Test
  void aSharedPoolOnUnisolatedWorkersWaitsSayingWhatToChange() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .instance(instance("local").degraded("not isolated: bwrap not found"))
                    .pool(pool("default").instance("local"))
                    .job(job("j1", "acme"))
                    .build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.POOL_UNISOLATED);
    assertThat(wait.message())
        .isEqualTo(
            "pool 'default': is shared by every tenant but its provider's workers are not"
                + " isolated: bwrap not found; an operator must give the pool a tenant or set its"
                + " allow-unisolated");
  }

  @Test
  void unisolatedWorkersTakeJobsOfAPoolsOwnTenantOrWhereAnOperatorAllowedIt() {
    var snapshot =
        snapshot()
            .instance(instance("local").degraded("not isolated: the sandbox is turned off"))
            .pool(pool("own").instance("local").owner("acme"))
            .pool(pool("allowed").instance("local").allowUnisolated())
            .pool(pool("throttled-shared").instance("docker"))
            .instance(instance("docker").degraded("throttled"))
            .job(job("j1", "acme").pool("own"))
            .job(job("j2", "globex").pool("allowed"))
            .job(job("j3", "globex").pool("throttled-shared"))
            .build();

    var decisions = Passes.run(snapshot);

    assertThat(decisions.poolOf("j1")).isEqualTo("own");
    assertThat(decisions.poolOf("j2")).isEqualTo("allowed");
    assertThat(decisions.poolOf("j3")).isEqualTo("throttled-shared");
  }

  @Test
  void aProviderStateFollowsTheHealthItsProviderReported() {
    assertThat(ProviderHealthState.of(Optional.of(ProviderHealth.healthy())))
        .isEqualTo(ProviderHealthState.HEALTHY);
    assertThat(
            ProviderHealthState.of(
                Optional.of(new ProviderHealth(ProviderHealth.Status.DEGRADED, "throttled"))))
        .isEqualTo(ProviderHealthState.DEGRADED);
    assertThat(ProviderHealthState.of(Optional.of(ProviderHealth.unhealthy("down"))))
        .isEqualTo(ProviderHealthState.UNHEALTHY);
    assertThat(ProviderHealthState.of(Optional.empty())).isEqualTo(ProviderHealthState.UNKNOWN);
  }

  @Test
  void aProviderInstanceThatIsNotOpenIsUnavailable() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .pool(pool("default").instance("ssh-lab"))
                    .withoutInstance("ssh-lab")
                    .job(job("j1", "acme"))
                    .build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.PROVIDER_UNAVAILABLE);
    assertThat(wait.message()).startsWith("provider instance 'ssh-lab': is not open");
  }

  @Test
  void aDrainingPoolAdmitsNothingNew() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .pool(pool("default").state(PoolState.DRAINING))
                    .job(job("j1", "acme"))
                    .build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.POOL_DRAINING);
    assertThat(wait.message()).isEqualTo("pool 'default': is draining and admits no new jobs");
  }

  @Test
  void aDisabledPoolAdmitsNothing() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .pool(pool("default").state(PoolState.DISABLED))
                    .job(job("j1", "acme"))
                    .build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.POOL_DISABLED);
  }

  @Test
  void aJobLargerThanEveryCandidateIsTooLargeForAnyPool() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .pool(pool("small").label("arch", "x86").capacity(4000, 8192, 0, 10))
                    .instance(instance("tiny").maxPerWorker(Resources.of(2000, 65_536)))
                    .pool(pool("big").label("arch", "x86").instance("tiny"))
                    .job(job("j1", "acme").selector("arch=x86").resources(8000, 4096))
                    .build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.TOO_LARGE_FOR_ANY_POOL);
    assertThat(wait.message())
        .isEqualTo("pool 'small' can never hold this job: cpu at most 4000m, this job needs 8000m");
    assertThat(wait.rejections())
        .extracting(rejection -> rejection.refusal().message())
        .containsExactlyInAnyOrder(
            "pool 'small' can never hold this job: cpu at most 4000m, this job needs 8000m",
            "the largest worker of provider instance 'tiny' can never hold this job: cpu at most"
                + " 2000m, this job needs 8000m");
    assertThat(wait.rejections())
        .allMatch(rejection -> rejection.refusal().code() == ReasonCode.TOO_LARGE_FOR_POOL);
  }

  @Test
  void aJobNeedingGpusFromAPoolWithoutThemIsTooLarge() {
    Decision.Wait wait =
        Passes.run(snapshot().pool(pool("default")).job(job("j1", "acme").gpus(1)).build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.TOO_LARGE_FOR_ANY_POOL);
    assertThat(wait.message())
        .isEqualTo("pool 'default' can never hold this job: gpus at most 0, this job needs 1");
  }

  @Test
  void aJobInBackoffWaitsUntilItEndsThenRuns() {
    TestClock clock = new TestClock();
    var snapshot =
        snapshot()
            .pool(pool("default"))
            .job(job("j1", "acme").backoffUntil(clock.instant().plusSeconds(30)))
            .build();

    Decision.Wait wait = Passes.run(snapshot, PlacementStrategy.BIN_PACK, clock).waits("j1");
    assertThat(wait.code()).isEqualTo(ReasonCode.BACKOFF);
    assertThat(wait.message()).contains("2026-01-05T09:00:30Z");

    clock.advance(Duration.ofSeconds(30));
    assertThat(Passes.run(snapshot, PlacementStrategy.BIN_PACK, clock).poolOf("j1"))
        .isEqualTo("default");
  }

  @Test
  void aJobWaitsOnTheNearestReasonAndListsEveryPool() {
    Decision.Wait wait =
        Passes.run(
                snapshot()
                    .pool(pool("off").label("ci", "yes").state(PoolState.DISABLED))
                    .pool(pool("full").label("ci", "yes").workers(1))
                    .pool(pool("small").label("ci", "yes").capacity(500, 512, 0, 5))
                    .reservation("a1", "full", "globex", Resources.of(100, 100))
                    .job(job("j1", "acme").selector("ci=yes"))
                    .build())
            .waits("j1");

    assertThat(wait.code()).isEqualTo(ReasonCode.POOL_FULL);
    assertThat(wait.rejections())
        .extracting(rejection -> rejection.pool() + ":" + rejection.refusal().code())
        .containsExactlyInAnyOrder(
            "off:POOL_DISABLED", "full:POOL_FULL", "small:TOO_LARGE_FOR_POOL");
  }

  @Test
  void aWaitingJobKnowsItsPlaceInTheQueueOverallAndInItsTenant() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("default").workers(1))
                .job(job("a1", "acme"))
                .job(job("g1", "globex"))
                .job(job("a2", "acme"))
                .job(job("g2", "globex"))
                .build());

    assertThat(passes.poolOf("a1")).isEqualTo("default");
    assertThat(passes.waits("g1").position()).isEqualTo(new QueuePosition(2, 1));
    assertThat(passes.waits("a2").position()).isEqualTo(new QueuePosition(3, 2));
    assertThat(passes.waits("g2").position()).isEqualTo(new QueuePosition(4, 2));
  }
}
