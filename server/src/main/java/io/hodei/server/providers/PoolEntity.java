package io.hodei.server.providers;

import io.hodei.core.governance.snapshot.PoolState;
import io.hodei.core.pools.Pool;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/** A pool's row. */
@Entity
@Table(name = "pools")
public class PoolEntity {

  @Id public String name;

  @Column(name = "provider_instance")
  public String providerInstance;

  @Column(name = "max_workers")
  public int maxWorkers;

  @Column(name = "max_jobs_per_worker")
  public int maxJobsPerWorker;

  @Column(name = "idle_timeout_ms")
  public long idleTimeoutMillis;

  @Column(name = "provisioning_timeout_ms")
  public long provisioningTimeoutMillis;

  /** The only tenant whose jobs may run here, or null for a pool every tenant shares. */
  public String tenant;

  /** Whether a shared pool takes jobs even when its provider's workers are not isolated. */
  @Column(name = "allow_unisolated")
  public boolean allowUnisolated;

  @Column(name = "created_at")
  public Instant createdAt;

  /** Labels that job pool selectors match, as a JSON object of strings. */
  public String labels = "{}";

  /** Capacity in CPU millicores, MiB of memory and GPUs; null is not capped. */
  @Column(name = "cpu_millis")
  public Long cpuMillis;

  @Column(name = "memory_mib")
  public Long memoryMib;

  public Long gpus;

  @Column(name = "rate_per_worker_hour")
  public double ratePerWorkerHour;

  @Column(name = "rate_per_vcpu_hour")
  public double ratePerVcpuHour;

  @Column(name = "rate_per_gib_hour")
  public double ratePerGibHour;

  public int priority;

  @Enumerated(EnumType.STRING)
  public PoolState state = PoolState.ACTIVE;

  /** Whether jobs and users of {@code tenant} may use and see this pool. */
  public boolean servesTenant(String tenant) {
    return this.tenant == null || this.tenant.equals(tenant);
  }

  public Pool toPool() {
    return new Pool(
        name,
        providerInstance,
        maxWorkers,
        maxJobsPerWorker,
        Duration.ofMillis(idleTimeoutMillis),
        Duration.ofMillis(provisioningTimeoutMillis));
  }
}
