package io.hodei.server.credentials;

import io.hodei.credentials.audit.AuditEntry;
import io.hodei.credentials.audit.AuditLog;
import io.hodei.server.persistence.Db;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The broker's audit trail in PostgreSQL table {@code credential_audit}. The broker audits every
 * fetch, cached ones included, under a lock of the reference; so entries are queued and written in
 * batches by one thread, and a fetch costs no database round trip. A full queue makes the caller
 * wait, then fail: an access is never served without its entry.
 */
@ApplicationScoped
public class PgAuditLog implements AuditLog {

  private static final Logger LOG = Logger.getLogger(PgAuditLog.class);
  private static final int CAPACITY = 10_000;
  private static final int BATCH = 500;
  private static final Duration OFFER_WAIT = Duration.ofSeconds(2);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  private final Db db;
  private final BlockingQueue<AuditEntryEntity> queue = new LinkedBlockingQueue<>(CAPACITY);
  private final Thread writer;
  private volatile boolean stopping;
  private volatile boolean writing;

  public PgAuditLog(Db db) {
    this.db = db;
    this.writer = new Thread(this::writeLoop, "hodei-audit-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void record(AuditEntry entry) {
    try {
      if (!queue.offer(AuditEntryEntity.of(entry), OFFER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "the credential audit trail is "
                + CAPACITY
                + " entries behind (is the database down?); refusing to serve unaudited");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while auditing", e);
    }
  }

  /** Waits until every entry queued so far is stored; for shutdown and tests. */
  public void flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while ((!queue.isEmpty() || writing) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  void stop(@Observes ShutdownEvent event) {
    flush(Duration.ofSeconds(5));
    stopping = true;
    writer.interrupt();
  }

  private void writeLoop() {
    List<AuditEntryEntity> batch = new ArrayList<>(BATCH);
    while (!stopping) {
      try {
        if (batch.isEmpty()) {
          batch.add(queue.take());
          writing = true;
          queue.drainTo(batch, BATCH - 1);
        }
        List<AuditEntryEntity> rows = List.copyOf(batch);
        db.tx(session -> session.persistAll(rows.toArray())).await().atMost(Blocking.TIMEOUT);
        batch.clear();
        writing = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // Kept and retried: the entries were accepted, so they must not be dropped.
        LOG.errorf(e, "Cannot store %d credential audit entries yet; retrying", batch.size());
        batch.forEach(row -> row.id = null); // a rolled-back insert may have assigned one
        try {
          Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
