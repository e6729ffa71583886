package io.hodei.core.governance;

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Hand-written builders for governance snapshots, with defaults that stay out of the way. */
final class Fixtures {

  static final long U = Amounts.UNLIMITED;

  private Fixtures() {}

  static PoolBuilder pool(String name) {
    return new PoolBuilder(name);
  }

  static InstanceBuilder instance(String name) {
    return new InstanceBuilder(name);
  }

  static JobBuilder job(String id, String tenant) {
    return new JobBuilder(id, tenant);
  }

  static SnapshotBuilder snapshot() {
    return new SnapshotBuilder();
  }

  static Amounts limits(long cpuMillis, long memoryMib, long gpus, long workers, long jobs) {
    return new Amounts(cpuMillis, memoryMib, gpus, workers, jobs);
  }

  static TenantQuota quota(String tenant, Amounts overall, LabelQuota... perLabel) {
    return new TenantQuota(tenant, overall, List.of(perLabel), 1);
  }

  static LabelQuota labelQuota(Map<String, String> selector, Amounts limit) {
    return new LabelQuota(selector, limit);
  }

  /** A pool of 64 cores, 256 GiB, no GPUs and 100 workers on instance {@code local}. */
  static final class PoolBuilder {
    private final String name;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private Amounts capacity = new Amounts(64_000, 262_144, 0, 100, U);
    private Rate rate = Rate.FREE;
    private int priority;
    private PoolState state = PoolState.ACTIVE;
    private String instance = "local";
    private Optional<String> owner = Optional.empty();
    private boolean allowUnisolated;

    private PoolBuilder(String name) {
      this.name = name;
    }

    PoolBuilder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    PoolBuilder capacity(long cpuMillis, long memoryMib, long gpus, long workers) {
      capacity = new Amounts(cpuMillis, memoryMib, gpus, workers, U);
      return this;
    }

    PoolBuilder workers(long workers) {
      return capacity(capacity.cpuMillis(), capacity.memoryMib(), capacity.gpus(), workers);
    }

    PoolBuilder rate(Rate rate) {
      this.rate = rate;
      return this;
    }

    PoolBuilder priority(int priority) {
      this.priority = priority;
      return this;
    }

    PoolBuilder state(PoolState state) {
      this.state = state;
      return this;
    }

    PoolBuilder instance(String instance) {
      this.instance = instance;
      return this;
    }

    PoolBuilder allowUnisolated() {
      allowUnisolated = true;
      return this;
    }

    PoolBuilder owner(String tenant) {
      owner = Optional.of(tenant);
      return this;
    }

    GovernedPool build() {
      return new GovernedPool(
          name, labels, capacity, rate, priority, state, instance, owner, allowUnisolated);
    }
  }

  /** A healthy instance without limits of its own. */
  static final class InstanceBuilder {
    private final String name;
    private ProviderHealthState health = ProviderHealthState.HEALTHY;
    private String healthDetail = "";
    private Amounts limits = Amounts.NO_LIMIT;
    private Resources maxPerWorker = new Resources(1_000_000, 10_000_000, 1_000, 0);

    private InstanceBuilder(String name) {
      this.name = name;
    }

    InstanceBuilder health(ProviderHealthState health) {
      this.health = health;
      return this;
    }

    InstanceBuilder degraded(String detail) {
      health = ProviderHealthState.DEGRADED;
      healthDetail = detail;
      return this;
    }

    InstanceBuilder unhealthy(String detail) {
      health = ProviderHealthState.UNHEALTHY;
      healthDetail = detail;
      return this;
    }

    InstanceBuilder limits(long workers, long cpuMillis, long memoryMib) {
      limits = new Amounts(cpuMillis, memoryMib, U, workers, U);
      return this;
    }

    InstanceBuilder maxPerWorker(Resources resources) {
      maxPerWorker = resources;
      return this;
    }

    ProviderInstanceInfo build() {
      return new ProviderInstanceInfo(name, "local", health, healthDetail, limits, maxPerWorker);
    }
  }

  /** A job of tenant {@code tenant} for pool {@code default}, 1 core and 1 GiB. */
  static final class JobBuilder {
    private final String id;
    private final String tenant;
    private PoolChoice choice = PoolChoice.pinned("default");
    private Resources resources = Resources.of(1000, 1024);
    private Optional<String> image = Optional.empty();
    private Duration timeout = Duration.ofHours(1);
    private Optional<Instant> backoffUntil = Optional.empty();

    private JobBuilder(String id, String tenant) {
      this.id = id;
      this.tenant = tenant;
    }

    JobBuilder pool(String pool) {
      choice = PoolChoice.pinned(pool);
      return this;
    }

    JobBuilder selector(String... keyValues) {
      Map<String, String> labels = new HashMap<>();
      for (String keyValue : keyValues) {
        String[] parts = keyValue.split("=", 2);
        labels.put(parts[0], parts[1]);
      }
      choice = PoolChoice.selector(labels);
      return this;
    }

    JobBuilder resources(long cpuMillis, long memoryMib) {
      resources = Resources.of(cpuMillis, memoryMib);
      return this;
    }

    JobBuilder gpus(int gpus) {
      resources = new Resources(resources.cpuMillis(), resources.memoryMib(), gpus, 0);
      return this;
    }

    JobBuilder image(String image) {
      this.image = Optional.of(image);
      return this;
    }

    JobBuilder backoffUntil(Instant until) {
      backoffUntil = Optional.of(until);
      return this;
    }

    PendingJob build() {
      return new PendingJob(
          id, tenant, choice, resources, image, timeout, Instant.EPOCH, backoffUntil);
    }
  }

  /** A snapshot; every instance a pool names exists, healthy, unless declared or left out. */
  static final class SnapshotBuilder {
    private final List<GovernedPool> pools = new ArrayList<>();
    private final List<ProviderInstanceInfo> instances = new ArrayList<>();
    private final Set<String> missing = new HashSet<>();
    private final List<Reservation> reservations = new ArrayList<>();
    private final List<TenantQuota> quotas = new ArrayList<>();
    private final List<IdleWorker> idle = new ArrayList<>();
    private final List<PendingJob> jobs = new ArrayList<>();

    SnapshotBuilder pool(PoolBuilder pool) {
      pools.add(pool.build());
      return this;
    }

    SnapshotBuilder instance(InstanceBuilder instance) {
      instances.add(instance.build());
      return this;
    }

    SnapshotBuilder withoutInstance(String name) {
      missing.add(name);
      return this;
    }

    SnapshotBuilder reservation(String attemptId, String pool, String tenant, Resources resources) {
      String instance =
          pools.stream()
              .filter(p -> p.name().equals(pool))
              .findFirst()
              .orElseThrow()
              .providerInstance();
      reservations.add(
          new Reservation(attemptId, new Reservation.Claim(pool, instance, tenant, resources)));
      return this;
    }

    SnapshotBuilder quota(TenantQuota quota) {
      quotas.add(quota);
      return this;
    }

    SnapshotBuilder idle(IdleWorker worker) {
      idle.add(worker);
      return this;
    }

    SnapshotBuilder job(JobBuilder job) {
      jobs.add(job.build());
      return this;
    }

    SnapshotBuilder jobs(
        int count, String tenant, java.util.function.UnaryOperator<JobBuilder> shape) {
      int start = jobs.size();
      for (int i = 0; i < count; i++) {
        jobs.add(shape.apply(Fixtures.job(tenant + "-" + (start + i), tenant)).build());
      }
      return this;
    }

    GovernanceSnapshot build() {
      List<ProviderInstanceInfo> all = new ArrayList<>(instances);
      Set<String> declared = new HashSet<>();
      instances.forEach(instance -> declared.add(instance.name()));
      for (GovernedPool pool : pools) {
        String name = pool.providerInstance();
        if (!missing.contains(name) && declared.add(name)) {
          all.add(Fixtures.instance(name).build());
        }
      }
      return new GovernanceSnapshot(pools, all, reservations, quotas, idle, jobs);
    }
  }
}
