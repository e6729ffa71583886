package io.hodei.server.retention;

import io.hodei.server.persistence.Db;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Purges ended records past their retention, so the tables the controller reads stay small: ended
 * jobs (their events and logs go with them), released workers (and their token hashes), expired
 * token hashes and old audit entries. Only ended things are touched: a job that still runs or a
 * worker whose resources are not confirmed gone is never purged, however old. Every replica may run
 * it; the deletes are idempotent and work in batches to keep locks short.
 */
@ApplicationScoped
public class Retention {

  private static final Logger LOG = Logger.getLogger(Retention.class);
  static final int BATCH = 1000;

  /** One purge: what it deletes, and the retention setting that governs it. */
  private record Purge(String what, String setting, Duration keep, String sql) {}

  private final Db db;
  private final RetentionSettings settings;
  private final Clock clock;

  public Retention(Db db, RetentionSettings settings, Clock clock) {
    this.db = db;
    this.settings = settings;
    this.clock = clock;
  }

  @Scheduled(
      every = "${hodei.retention.interval:1h}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return purge(clock.instant())
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.warn("Purging old records failed; the next run retries", failure);
              return 0L;
            })
        .replaceWithVoid();
  }

  /** Purges everything past its retention as of {@code now}; returns how many rows went. */
  public Uni<Long> purge(Instant now) {
    List<Purge> purges =
        List.of(
            new Purge(
                "ended jobs",
                "hodei.retention.jobs",
                settings.jobs(),
                "delete from jobs where id in (select id from jobs where state in"
                    + " ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED') and finished_at <"
                    + " :cutoff limit :batch)"),
            new Purge(
                "released workers",
                "hodei.retention.workers",
                settings.workers(),
                "delete from workers where id in (select id from workers where state in"
                    + " ('TERMINATED', 'LOST', 'FAILED') and released_at < :cutoff limit :batch)"),
            new Purge(
                "expired bootstrap token hashes",
                "hodei.retention.bootstrap-tokens",
                settings.bootstrapTokens(),
                "delete from bootstrap_tokens where hash in (select hash from bootstrap_tokens"
                    + " where expires_at < :cutoff limit :batch)"),
            new Purge(
                "credential audit entries",
                "hodei.retention.audit",
                settings.audit(),
                "delete from credential_audit where id in (select id from credential_audit where"
                    + " at < :cutoff limit :batch)"));
    Uni<Long> total = Uni.createFrom().item(0L);
    for (Purge purge : purges) {
      total = total.chain(sum -> purgeAll(purge, now).map(deleted -> sum + deleted));
    }
    return total;
  }

  private Uni<Long> purgeAll(Purge purge, Instant now) {
    if (purge.keep().isZero() || purge.keep().isNegative()) {
      return Uni.createFrom().item(0L);
    }
    Instant cutoff = now.minus(purge.keep());
    return batches(purge, cutoff, 0L)
        .invoke(
            deleted -> {
              if (deleted > 0) {
                LOG.infof(
                    "Purged %d %s older than %s (%s)",
                    deleted, purge.what(), purge.keep(), purge.setting());
              }
            });
  }

  /** Deletes batch after batch until one comes back short. */
  private Uni<Long> batches(Purge purge, Instant cutoff, long sofar) {
    return db.tx(
            session ->
                session
                    .createNativeQuery(purge.sql())
                    .setParameter("cutoff", cutoff)
                    .setParameter("batch", BATCH)
                    .executeUpdate())
        .chain(
            deleted ->
                deleted < BATCH
                    ? Uni.createFrom().item(sofar + deleted)
                    : batches(purge, cutoff, sofar + deleted));
  }
}
