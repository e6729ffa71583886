package io.hodei.server.providers;

import io.hodei.core.pools.Pool;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
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
