package io.hodei.server.credentials;

import io.hodei.credentials.audit.AuditEntry;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One row of {@code credential_audit}: who touched which secret, when, and how it ended. */
@Entity
@Table(name = "credential_audit")
public class AuditEntryEntity {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  public Instant at;
  public String action;

  @Column(name = "caller_kind")
  public String callerKind;

  @Column(name = "caller_name")
  public String callerName;

  public String tenant;
  public String reference;

  @Column(name = "lease_id")
  public String leaseId;

  @Column(name = "job_id")
  public String jobId;

  @Column(name = "worker_id")
  public String workerId;

  public String outcome;
  public String detail;

  static AuditEntryEntity of(AuditEntry entry) {
    AuditEntryEntity row = new AuditEntryEntity();
    row.at = entry.at();
    row.action = entry.action().name();
    entry
        .caller()
        .ifPresent(
            caller -> {
              row.callerKind = caller.kind().name();
              row.callerName = caller.name();
              row.tenant = caller.tenant();
            });
    row.reference = entry.reference().toString();
    row.leaseId = entry.leaseId().orElse(null);
    row.jobId = entry.jobId().orElse(null);
    row.workerId = entry.workerId().orElse(null);
    row.outcome = entry.outcome().name();
    row.detail = entry.detail();
    return row;
  }
}
