package io.hodei.credentials.audit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps audit entries in memory so tests can read them back. */
public final class InMemoryAuditLog implements AuditLog {

  private final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

  @Override
  public void record(AuditEntry entry) {
    entries.add(entry);
  }

  public List<AuditEntry> entries() {
    return List.copyOf(entries);
  }

  public List<AuditEntry> entries(AuditAction action) {
    return entries.stream().filter(entry -> entry.action() == action).toList();
  }
}
