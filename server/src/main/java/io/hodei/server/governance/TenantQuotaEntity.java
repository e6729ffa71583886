package io.hodei.server.governance;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A tenant's quota row; a null cap is not capped. */
@Entity
@Table(name = "tenant_quotas")
public class TenantQuotaEntity {

  @Id public String tenant;

  @Column(name = "cpu_millis")
  public Long cpuMillis;

  @Column(name = "memory_mib")
  public Long memoryMib;

  public Long gpus;
  public Long workers;
  public Long jobs;
  public double weight = 1;

  /** Caps over the pools carrying some labels, as JSON (see {@link QuotaSpec.LabelLimits}). */
  @Column(name = "per_label")
  public String perLabel = "[]";

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
