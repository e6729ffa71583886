package io.hodei.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.server.persistence.Db;
import io.hodei.server.testing.HodeiTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Old ended records go, with what hangs off them; anything still live stays however old it is. Rows
 * are written straight into the database with old timestamps, as months of use would leave them,
 * and one purge runs "now".
 */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class RetentionTest {

  @Inject Db db;
  @Inject Retention retention;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private final List<String> cleanUp = new ArrayList<>();

  /** What a test leaves must not reach the controller's loops in later tests. */
  @AfterEach
  void removeWhatIsLeft() {
    cleanUp.forEach(statement -> sql(statement, null));
  }

  @Test
  void endedJobsPastRetentionGoWithTheirEventsAndLogsWhileRunningAndRecentOnesStay() {
    UUID old = job("SUCCEEDED", now.minus(Duration.ofDays(31)));
    UUID recent = job("FAILED", now.minus(Duration.ofDays(29)));
    UUID stillRunning = job("RUNNING", null);
    sql(
        "update jobs set created_at = :at where id = '" + stillRunning + "'",
        now.minus(Duration.ofDays(90)));

    retention.purge(now).await().atMost(Duration.ofSeconds(30));

    assertThat(count("jobs", "id = '" + old + "'")).isZero();
    assertThat(count("job_events", "job_id = '" + old + "'")).isZero();
    assertThat(count("job_logs", "job_id = '" + old + "'")).isZero();
    assertThat(count("jobs", "id = '" + recent + "'")).isOne();
    assertThat(count("job_logs", "job_id = '" + recent + "'")).isOne();
    assertThat(count("jobs", "id = '" + stillRunning + "'")).isOne();
  }

  @Test
  void releasedWorkersExpiredTokensAndOldAuditEntriesGoButAnUnreleasedWorkerStays() {
    UUID released = worker("TERMINATED", now.minus(Duration.ofDays(8)));
    UUID notReleased = worker("LOST", null);
    UUID live = worker("READY", null);
    String spent = token(live, now.minus(Duration.ofHours(2)));
    String fresh = token(live, now.plus(Duration.ofMinutes(4)));
    String oldAudit = audit(now.minus(Duration.ofDays(366)));
    String newAudit = audit(now.minus(Duration.ofDays(1)));

    retention.purge(now).await().atMost(Duration.ofSeconds(30));

    assertThat(count("workers", "id = '" + released + "'")).isZero();
    assertThat(count("workers", "id = '" + notReleased + "'"))
        .as("a worker whose resources are not confirmed gone")
        .isOne();
    assertThat(count("bootstrap_tokens", "hash = '" + spent + "'")).isZero();
    assertThat(count("bootstrap_tokens", "hash = '" + fresh + "'")).isOne();
    assertThat(count("credential_audit", "reference = '" + oldAudit + "'")).isZero();
    assertThat(count("credential_audit", "reference = '" + newAudit + "'")).isOne();
  }

  private UUID job(String state, Instant finishedAt) {
    UUID id = UUID.randomUUID();
    sql(
        "insert into jobs (id, tenant, name, spec, pool, state, finished_at) values ('"
            + id
            + "', 'default', 'old', '{}', 'retention-test', '"
            + state
            + "', :at)",
        finishedAt);
    sql(
        "insert into job_events (job_id, attempt, to_state) values ('" + id + "', 1, 'PENDING')",
        null);
    sql(
        "insert into job_logs (job_id, attempt, sequence, stream, text, at) values ('"
            + id
            + "', 1, 1, 'STDOUT', 'line', :at)",
        now);
    cleanUp.add("delete from jobs where id = '" + id + "'");
    return id;
  }

  private UUID worker(String state, Instant releasedAt) {
    UUID id = UUID.randomUUID();
    sql(
        "insert into workers (id, pool, provider_instance, state, provisioning_deadline,"
            + " released_at) values ('"
            + id
            + "', 'retention-test', 'retention-test', '"
            + state
            + "', now(), :at)",
        releasedAt);
    cleanUp.add("delete from workers where id = '" + id + "'");
    return id;
  }

  private String token(UUID worker, Instant expiresAt) {
    String hash = "retention-" + UUID.randomUUID();
    sql(
        "insert into bootstrap_tokens (hash, worker_id, expires_at) values ('"
            + hash
            + "', '"
            + worker
            + "', :at)",
        expiresAt);
    return hash;
  }

  private String audit(Instant at) {
    String reference = "local:retention/" + UUID.randomUUID();
    sql(
        "insert into credential_audit (at, action, reference, outcome, detail) values (:at,"
            + " 'ISSUE', '"
            + reference
            + "', 'OK', '')",
        at);
    cleanUp.add("delete from credential_audit where reference = '" + reference + "'");
    return reference;
  }

  private void sql(String statement, Instant at) {
    db.tx(
            session -> {
              var query = session.createNativeQuery(statement);
              if (statement.contains(":at")) {
                query.setParameter("at", at);
              }
              return query.executeUpdate();
            })
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  private long count(String table, String where) {
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        "select count(*) from " + table + " where " + where, Long.class)
                    .getSingleResult())
        .await()
        .atMost(Duration.ofSeconds(10));
  }
}
