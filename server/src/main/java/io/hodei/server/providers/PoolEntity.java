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

  @Column(name = "created_at")
  public Instant createdAt;

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
