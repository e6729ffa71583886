package io.hodei.bench.grc;

import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.GovernanceSnapshot;
import io.hodei.core.governance.snapshot.GovernedPool;
import io.hodei.core.governance.snapshot.IdleWorker;
import io.hodei.core.governance.snapshot.LabelQuota;
import io.hodei.core.governance.snapshot.PendingJob;
import io.hodei.core.governance.snapshot.PoolChoice;
import io.hodei.core.governance.snapshot.PoolState;
import io.hodei.core.governance.snapshot.ProviderHealthState;
import io.hodei.core.governance.snapshot.ProviderInstanceInfo;
import io.hodei.core.governance.snapshot.Rate;
import io.hodei.core.governance.snapshot.Reservation;
import io.hodei.core.governance.snapshot.TenantQuota;
import io.hodei.plugin.api.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A synthetic snapshot shaped like a busy installation: pools over a few regions and architectures,
 * some with GPUs, on a handful of provider instances with limits; tenants with quotas, some per
 * label; a ledger already holding work; and a long queue, most of it by selector. About half the
 * queue fits; the rest waits, so both paths are timed.
 */
record Scenario(int jobs, int pools, int tenants, long seed) {

  static final Instant NOW = Instant.parse("2026-01-05T09:00:00Z");

  private static final String[] REGIONS = {"eu", "us", "ap"};
  private static final String[] ARCHES = {"x86", "arm64"};
  private static final Resources[] SHAPES = {
    Resources.of(1000, 2048),
    Resources.of(2000, 4096),
    Resources.of(4000, 8192),
    Resources.of(500, 1024)
  };
  private static final long U = Amounts.UNLIMITED;

  GovernanceSnapshot snapshot() {
    Random random = new Random(seed);
    int instanceCount = Math.max(1, pools / 10);
    List<ProviderInstanceInfo> instances = new ArrayList<>();
    for (int i = 0; i < instanceCount; i++) {
      ProviderHealthState health =
          i == 0 ? ProviderHealthState.DEGRADED : ProviderHealthState.HEALTHY;
      instances.add(
          new ProviderInstanceInfo(
              "instance-" + i,
              "docker",
              health,
              "",
              new Amounts(1_200_000, 2_400_000, U, 600, U),
              new Resources(64_000, 262_144, 8, 0)));
    }
    List<GovernedPool> poolList = new ArrayList<>();
    for (int p = 0; p < pools; p++) {
      boolean gpu = p % 10 == 9;
      Map<String, String> labels =
          gpu
              ? Map.of("region", REGIONS[p % 3], "arch", ARCHES[p % 2], "gpu", "true")
              : Map.of("region", REGIONS[p % 3], "arch", ARCHES[p % 2]);
      PoolState state = p == pools - 1 ? PoolState.DRAINING : PoolState.ACTIVE;
      poolList.add(
          new GovernedPool(
              "pool-" + p,
              labels,
              new Amounts(200_000, 400_000, gpu ? 16 : 0, 100, U),
              new Rate(0.01 * (p % 7), 0.02, 0.005),
              p % 4 == 0 ? 1 : 0,
              state,
              "instance-" + (p % instanceCount),
              Optional.empty(),
              false));
    }
    List<TenantQuota> quotas = new ArrayList<>();
    for (int t = 0; t < tenants; t++) {
      quotas.add(
          new TenantQuota(
              tenant(t),
              new Amounts(400_000, 800_000, 8, 300, 300),
              List.of(new LabelQuota(Map.of("gpu", "true"), new Amounts(U, U, 4, U, U))),
              1 + t % 3));
    }
    List<Reservation> reservations = new ArrayList<>();
    for (int r = 0; r < pools * 20; r++) {
      GovernedPool pool = poolList.get(r % pools);
      reservations.add(
          new Reservation(
              "attempt-" + r,
              new Reservation.Claim(
                  pool.name(),
                  pool.providerInstance(),
                  tenant(random.nextInt(tenants)),
                  SHAPES[random.nextInt(SHAPES.length)])));
    }
    List<IdleWorker> idle = new ArrayList<>();
    for (int w = 0; w < pools * 2; w++) {
      idle.add(
          new IdleWorker(
              "idle-" + w,
              poolList.get(w % pools).name(),
              Optional.empty(),
              SHAPES[w % SHAPES.length],
              5,
              NOW.plus(Duration.ofHours(8))));
    }
    List<PendingJob> pending = new ArrayList<>();
    for (int j = 0; j < jobs; j++) {
      pending.add(job(j, random, poolList));
    }
    return new GovernanceSnapshot(poolList, instances, reservations, quotas, idle, pending);
  }

  private PendingJob job(int j, Random random, List<GovernedPool> poolList) {
    int kind = random.nextInt(100);
    PoolChoice choice;
    Resources resources = SHAPES[random.nextInt(SHAPES.length)];
    if (kind < 60) {
      choice = PoolChoice.selector(Map.of("region", REGIONS[random.nextInt(3)]));
    } else if (kind < 85) {
      choice =
          PoolChoice.selector(
              Map.of("region", REGIONS[random.nextInt(3)], "arch", ARCHES[random.nextInt(2)]));
    } else if (kind < 90) {
      choice = PoolChoice.selector(Map.of("gpu", "true"));
      resources = new Resources(resources.cpuMillis(), resources.memoryMib(), 1, 0);
    } else {
      choice = PoolChoice.pinned(poolList.get(random.nextInt(poolList.size())).name());
    }
    Optional<Instant> backoff =
        random.nextInt(50) == 0 ? Optional.of(NOW.plusSeconds(60)) : Optional.empty();
    return new PendingJob(
        "job-" + j,
        tenant(random.nextInt(tenants)),
        choice,
        resources,
        Optional.empty(),
        Duration.ofHours(1),
        NOW.minusSeconds(jobs - j),
        backoff);
  }

  private static String tenant(int t) {
    return "tenant-" + t;
  }
}
