package io.hodei.core.governance;

import static io.hodei.core.governance.Fixtures.U;
import static io.hodei.core.governance.Fixtures.instance;
import static io.hodei.core.governance.Fixtures.job;
import static io.hodei.core.governance.Fixtures.labelQuota;
import static io.hodei.core.governance.Fixtures.limits;
import static io.hodei.core.governance.Fixtures.pool;
import static io.hodei.core.governance.Fixtures.quota;
import static io.hodei.core.governance.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.core.governance.decision.ReasonCode;
import io.hodei.plugin.api.Resources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchAccountingTest {

  @Test
  void aJobAdmittedEarlierInThePassCountsAgainstTheNext() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("default").capacity(3000, 65_536, 0, 10))
                .job(job("j1", "acme").resources(2000, 1024))
                .job(job("j2", "acme").resources(2000, 1024))
                .job(job("j3", "acme").resources(1000, 1024))
                .build());

    assertThat(passes.poolOf("j1")).isEqualTo("default");
    assertThat(passes.waits("j2").message())
        .isEqualTo("pool 'default': cpu 2000m of 3000m in use, this job needs 2000m");
    // A smaller job behind it still fits.
    assertThat(passes.poolOf("j3")).isEqualTo("default");
  }

  @Test
  void aProviderInstancesLimitIsSharedByEveryPoolOnIt() {
    Passes passes =
        Passes.run(
            snapshot()
                .instance(instance("docker").limits(3, U, U))
                .pool(pool("a").label("ci", "yes").instance("docker"))
                .pool(pool("b").label("ci", "yes").instance("docker"))
                .reservation("r1", "a", "acme", Resources.of(100, 100))
                .job(job("j1", "acme").pool("b"))
                .job(job("j2", "acme").pool("a"))
                .job(job("j3", "acme").selector("ci=yes"))
                .build());

    assertThat(passes.poolOf("j1")).isEqualTo("b");
    assertThat(passes.poolOf("j2")).isEqualTo("a");
    var wait = passes.waits("j3");
    assertThat(wait.code()).isEqualTo(ReasonCode.PROVIDER_LIMIT);
    assertThat(wait.message())
        .isEqualTo(
            "provider instance 'docker' (shared by its pools): workers 3 of 3 in use, this job"
                + " needs 1");
    assertThat(wait.rejections()).hasSize(2);
  }

  @Test
  void aTenantQuotaIsSummedOverAllPools() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("a").label("ci", "yes"))
                .pool(pool("b").label("ci", "yes"))
                .quota(quota("acme", limits(U, 3072, U, U, U)))
                .reservation("r1", "a", "acme", Resources.of(1000, 1024))
                .reservation("r2", "b", "acme", Resources.of(1000, 1024))
                .job(job("j1", "acme").selector("ci=yes"))
                .job(job("j2", "acme").selector("ci=yes"))
                .job(job("g1", "globex").selector("ci=yes"))
                .build());

    assertThat(passes.poolOf("j1")).isNotEqualTo("wait");
    assertThat(passes.waits("j2").message())
        .isEqualTo(
            "tenant 'acme' quota: memory 3072 MiB of 3072 MiB in use, this job needs 1024 MiB");
    assertThat(passes.poolOf("g1")).isNotEqualTo("wait");
  }

  @Test
  void aQuotaPerLabelCapsOnlyThePoolsCarryingTheLabel() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("gpu").label("gpu", "true").capacity(64_000, 262_144, 8, 10))
                .pool(pool("cpu"))
                .quota(
                    quota(
                        "acme",
                        Fixtures.limits(U, U, U, U, U),
                        labelQuota(Map.of("gpu", "true"), limits(U, U, 4, U, U))))
                .reservation("r1", "gpu", "acme", new Resources(1000, 1024, 3, 0))
                .job(job("g1", "acme").pool("gpu").gpus(1))
                .job(job("g2", "acme").pool("gpu").gpus(1))
                .job(job("c1", "acme").pool("cpu"))
                .job(job("other", "globex").pool("gpu").gpus(2))
                .build());

    assertThat(passes.poolOf("g1")).isEqualTo("gpu");
    var wait = passes.waits("g2");
    assertThat(wait.code()).isEqualTo(ReasonCode.TENANT_QUOTA);
    assertThat(wait.message())
        .isEqualTo("tenant 'acme' quota for pools gpu=true: gpus 4 of 4 in use, this job needs 1");
    assertThat(passes.poolOf("c1")).isEqualTo("cpu");
    assertThat(passes.poolOf("other")).isEqualTo("gpu");
  }

  @Test
  void aQuotaOnRunningJobsCountsEveryAttempt() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("default"))
                .quota(quota("acme", limits(U, U, U, U, 2)))
                .jobs(3, "acme", job -> job)
                .build());

    assertThat(passes.admittedOf("acme")).isEqualTo(2);
    assertThat(passes.waits("acme-2").message())
        .isEqualTo("tenant 'acme' quota: running jobs 2 of 2 in use, this job needs 1");
  }

  @Test
  void aJobOverItsQuotaWaitsAndRunsOnceTheQuotaFrees() {
    var builder =
        snapshot()
            .pool(pool("default"))
            .quota(quota("acme", limits(2000, U, U, U, U)))
            .job(job("j1", "acme").resources(2000, 1024));

    assertThat(
            Passes.run(
                    snapshot()
                        .pool(pool("default"))
                        .quota(quota("acme", limits(2000, U, U, U, U)))
                        .reservation("r1", "default", "acme", Resources.of(1000, 1024))
                        .job(job("j1", "acme").resources(2000, 1024))
                        .build())
                .waits("j1")
                .code())
        .isEqualTo(ReasonCode.TENANT_QUOTA);
    assertThat(Passes.run(builder.build()).poolOf("j1")).isEqualTo("default");
  }
}
