package io.hodei.core.governance;

import static io.hodei.core.governance.Fixtures.job;
import static io.hodei.core.governance.Fixtures.pool;
import static io.hodei.core.governance.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.GovernanceSnapshot;
import io.hodei.core.governance.snapshot.TenantQuota;
import io.hodei.plugin.api.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FairShareTest {

  @Test
  void aLaterTenantIsServedBeforeTheRestOfAnEarlierTenantsBurst() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("default").workers(4))
                .jobs(10, "acme", job -> job)
                .jobs(2, "globex", job -> job)
                .build());

    assertThat(passes.admittedOf("acme")).isEqualTo(2);
    assertThat(passes.admittedOf("globex")).isEqualTo(2);
    // Within a tenant the queue order holds.
    assertThat(passes.poolOf("acme-0")).isEqualTo("default");
    assertThat(passes.poolOf("acme-1")).isEqualTo("default");
    assertThat(passes.poolOf("acme-2")).isEqualTo("wait");
  }

  @Test
  void theTenantWithTheLowestDominantShareGoesNext() {
    // acme already holds half the CPU; globex holds a quarter of the memory: globex's dominant
    // share is lower, so it gets the one free worker.
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("default").capacity(8000, 8192, 0, 3))
                .reservation("r1", "default", "acme", Resources.of(4000, 512))
                .reservation("r2", "default", "globex", Resources.of(500, 2048))
                .job(job("a1", "acme").resources(100, 100))
                .job(job("g1", "globex").resources(100, 100))
                .build());

    assertThat(passes.poolOf("g1")).isEqualTo("default");
    assertThat(passes.poolOf("a1")).isEqualTo("wait");
  }

  @Test
  void aTenantOfWeightTwoGetsTwiceTheShare() {
    Passes passes =
        Passes.run(
            snapshot()
                .pool(pool("default").workers(9))
                .quota(new TenantQuota("acme", Amounts.NO_LIMIT, List.of(), 2))
                .jobs(20, "globex", job -> job)
                .jobs(20, "acme", job -> job)
                .build());

    assertThat(passes.admittedOf("acme")).isEqualTo(6);
    assertThat(passes.admittedOf("globex")).isEqualTo(3);
  }

  @Test
  void noTenantIsStarvedWhateverTheQueueOrderAndSizes() {
    Random random = new Random(13);
    for (int round = 0; round < 300; round++) {
      int tenants = 2 + random.nextInt(5);
      int workers = 1 + random.nextInt(40);
      var builder = snapshot().pool(pool("default").workers(workers));
      Map<String, Integer> demand = new HashMap<>();
      List<String> order = new ArrayList<>();
      for (int t = 0; t < tenants; t++) {
        String tenant = "t" + t;
        int jobs = 1 + random.nextInt(60);
        demand.put(tenant, jobs);
        for (int j = 0; j < jobs; j++) {
          order.add(tenant);
        }
      }
      // Bursts: sometimes one tenant's jobs all come first, sometimes they are shuffled.
      if (random.nextBoolean()) {
        java.util.Collections.shuffle(order, random);
      }
      for (int i = 0; i < order.size(); i++) {
        builder.job(job("j" + i, order.get(i)));
      }
      GovernanceSnapshot snapshot = builder.build();
      Passes passes = Passes.run(snapshot);

      // Every tenant gets at least its equal share of the workers, or all it asked for.
      int fair = workers / tenants;
      for (var entry : demand.entrySet()) {
        assertThat(passes.admittedOf(entry.getKey()))
            .as("round %d, tenant %s of %d, %d workers", round, entry.getKey(), tenants, workers)
            .isGreaterThanOrEqualTo(Math.min(entry.getValue(), fair));
      }
      long admitted = passes.decisions.stream().filter(d -> !(d instanceof Decision.Wait)).count();
      assertThat(admitted).isEqualTo(Math.min(workers, order.size()));
    }
  }
}
