package io.hodei.server.credentials;

import io.hodei.credentials.audit.AuditEntry;
import io.hodei.credentials.audit.AuditLog;
import io.hodei.server.persistence.Db;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The broker's audit trail in PostgreSQL table {@code credential_audit}. {@link #record} returns
 * only once the entry is committed, so an access is never served with its entry still in memory: a
 * crash loses no accepted entry. Callers that arrive while a write is under way are batched into
 * the next one (a group commit): the caller that finds no write running writes every waiting entry
 * in one transaction, the others wait for theirs.
 */
@ApplicationScoped
public class PgAuditLog implements AuditLog {

  private static final int BATCH = 500;

  private final Db db;
  private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();

  public PgAuditLog(Db db) {
    this.db = db;
  }

  private record Pending(AuditEntryEntity row, CompletableFuture<Void> stored) {}

  /**
   * Stores {@code entry} before returning.
   *
   * @throws IllegalStateException when it cannot be stored; the access it records must then fail
   */
  @Override
  public void record(AuditEntry entry) {
    Pending pending = new Pending(AuditEntryEntity.of(entry), new CompletableFuture<>());
    waiting.add(pending);
    writeWaiting();
    try {
      pending.stored().get(Blocking.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw refused(e);
    } catch (ExecutionException e) {
      throw refused(e.getCause());
    } catch (TimeoutException e) {
      throw refused(e);
    }
  }

  /**
   * Writes batches until none is waiting, unless another caller is already doing so. The re-check
   * after letting go closes the gap in which a caller queued its entry while this one was
   * finishing.
   */
  private void writeWaiting() {
    while (writing.compareAndSet(false, true)) {
      try {
        List<Pending> batch;
        while (!(batch = nextBatch()).isEmpty()) {
          write(batch);
        }
      } finally {
        writing.set(false);
      }
      if (waiting.isEmpty()) {
        return;
      }
    }
  }

  private List<Pending> nextBatch() {
    List<Pending> batch = new ArrayList<>();
    Pending next;
    while (batch.size() < BATCH && (next = waiting.poll()) != null) {
      batch.add(next);
    }
    return batch;
  }

  private void write(List<Pending> batch) {
    Object[] rows = batch.stream().map(Pending::row).toArray();
    try {
      Blocking.await(
          db.tx(session -> session.persistAll(rows)), "storing credential audit entries");
      batch.forEach(pending -> pending.stored().complete(null));
    } catch (RuntimeException e) {
      batch.forEach(pending -> pending.stored().completeExceptionally(e));
    }
  }

  private static IllegalStateException refused(Throwable cause) {
    return new IllegalStateException(
        "the credential audit entry could not be stored (is the database down?); refusing to serve"
            + " an unaudited access",
        cause);
  }
}
