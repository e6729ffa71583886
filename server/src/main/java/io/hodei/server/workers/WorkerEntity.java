package io.hodei.server.workers;

import io.hodei.core.workers.WorkerState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A worker's row in the persistent registry. Written before the provider is asked to start it, so
 * that a crash at any point leaves a record to reconcile, never a leak.
 */
@Entity
@Table(name = "workers")
public class WorkerEntity {

  @Id public UUID id;
  public String pool;

  @Column(name = "provider_instance")
  public String providerInstance;

  @Enumerated(EnumType.STRING)
  public WorkerState state;

  @Column(name = "state_reason")
  public String stateReason;

  @Column(name = "resource_id")
  public String resourceId;

  @Column(name = "handle_attributes")
  public String handleAttributes;

  @Column(name = "job_id")
  public UUID jobId;

  @Column(name = "jobs_run")
  public int jobsRun;

  @Column(name = "session_hash")
  public String sessionHash;

  @Column(name = "last_heartbeat")
  public Instant lastHeartbeat;

  @Column(name = "registered_at")
  public Instant registeredAt;

  @Column(name = "idle_since")
  public Instant idleSince;

  @Column(name = "provisioning_deadline")
  public Instant provisioningDeadline;

  @Column(name = "released_at")
  public Instant releasedAt;

  /**
   * The image and resources it was started with ({@code WorkerShape}); null before they were kept.
   */
  public String shape;

  /** When its backend may stop it whatever happens (the spec's maximum lifetime). */
  @Column(name = "lifetime_ends_at")
  public Instant lifetimeEndsAt;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** Moves the worker to {@code next}, refusing illegal moves. */
  public void moveTo(WorkerState next, String why, Instant now) {
    state = state.moveTo(next);
    stateReason = why == null ? "" : why;
    updatedAt = now;
  }
}
