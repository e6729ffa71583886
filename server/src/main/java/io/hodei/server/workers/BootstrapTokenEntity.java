package io.hodei.server.workers;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A bootstrap token, stored as its hash only, bound to the worker it was issued for. */
@Entity
@Table(name = "bootstrap_tokens")
public class BootstrapTokenEntity {

  @Id public String hash;

  @Column(name = "worker_id")
  public UUID workerId;

  @Column(name = "expires_at")
  public Instant expiresAt;

  @Column(name = "used_at")
  public Instant usedAt;

  @Column(name = "created_at")
  public Instant createdAt;
}
