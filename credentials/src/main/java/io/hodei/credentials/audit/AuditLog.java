package io.hodei.credentials.audit;

/**
 * Where the broker records every issue, renewal, rotation, denial, revocation and failure. The
 * server keeps it in PostgreSQL. Called on the broker's hot path, so an implementation should
 * append quickly (buffer if it must) and throw only when the entry is lost.
 */
public interface AuditLog {

  void record(AuditEntry entry);
}
