package io.hodei.server.credentials;

import io.hodei.credentials.audit.AuditEntry;
import io.hodei.credentials.audit.AuditLog;
import io.hodei.server.persistence.Db;
import io.vertx.core.Context;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** The broker's audit trail in PostgreSQL table {@code credential_audit}. */
@ApplicationScoped
public class PgAuditLog implements AuditLog {

  private static final Logger LOG = Logger.getLogger(PgAuditLog.class);

  private final Db db;

  public PgAuditLog(Db db) {
    this.db = db;
  }

  @Override
  public void record(AuditEntry entry) {
    AuditEntryEntity row = AuditEntryEntity.of(entry);
    var write = db.tx(session -> session.persist(row));
    if (!Context.isOnEventLoopThread()) {
      // The caller waits, so an entry is either stored or its loss is the caller's error.
      Blocking.await(write, "auditing a secret access");
      return;
    }
    write
        .subscribe()
        .with(
            ignored -> {},
            failure ->
                LOG.errorf(
                    failure,
                    "Lost an audit entry: %s %s of %s",
                    entry.action(),
                    entry.outcome(),
                    entry.reference()));
  }
}
