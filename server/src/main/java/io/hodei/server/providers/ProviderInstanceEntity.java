package io.hodei.server.providers;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A named configuration of a provider type, e.g. {@code docker-ci} of type {@code docker}. */
@Entity
@Table(name = "provider_instances")
public class ProviderInstanceEntity {

  @Id public String name;
  public String type;

  /** Settings as a JSON object of strings. */
  public String config;

  /** Limits over all pools on this instance; null is not capped. */
  @Column(name = "max_workers")
  public Integer maxWorkers;

  @Column(name = "max_cpu_millis")
  public Long maxCpuMillis;

  @Column(name = "max_memory_mib")
  public Long maxMemoryMib;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
