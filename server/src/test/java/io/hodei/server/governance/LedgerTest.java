package io.hodei.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hodei.core.governance.ledger.Reconciliation;
import io.hodei.server.persistence.Db;
import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The ledger: an attempt holds exactly one reservation while it runs, and every way an attempt ends
 * releases it; reconciliation repairs what a crash would leave behind.
 */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class LedgerTest {

  private static final Duration RUN = Duration.ofSeconds(60);

  @Inject Db db;
  @Inject LedgerReconciler reconciler;

  @Test
  void everyEndOfAnAttemptReleasesItsReservation() {
    String succeeded = Jobs.submit(Map.of("name", "ok", "command", "sleep 2"));
    Jobs.awaitState(succeeded, "RUNNING", RUN);
    assertThat(reservations(succeeded)).containsExactly(1);
    String failed =
        Jobs.submit(
            Map.of("name", "fails", "command", "exit 3", "retry", Map.of("maxAttempts", 1)));
    String retried =
        Jobs.submit(
            Map.of(
                "name",
                "retried",
                "command",
                "exit 3",
                "retry",
                Map.of("maxAttempts", 2, "initialBackoffSeconds", 0, "retryJobFailures", true)));
    String cancelled = Jobs.submit(Map.of("name", "cancelled", "command", "sleep 30"));
    String timedOut =
        Jobs.submit(Map.of("name", "slow", "command", "sleep 30", "timeoutSeconds", 1));
    String waiting = Jobs.submit(Map.of("name", "waiting", "command", "true", "pool", "nowhere"));

    Jobs.awaitState(cancelled, "RUNNING", RUN);
    assertThat(reservations(cancelled)).containsExactly(1);
    Api.asAdmin().post("/api/v1/jobs/" + cancelled + "/cancel").then().statusCode(202);

    Jobs.awaitState(succeeded, "SUCCEEDED", RUN);
    Jobs.awaitState(failed, "FAILED", RUN);
    assertThat(Jobs.awaitState(retried, "FAILED", RUN).getInt("attempt")).isEqualTo(2);
    Jobs.awaitState(cancelled, "CANCELLED", RUN);
    Jobs.awaitState(timedOut, "TIMED_OUT", RUN);
    assertThat(Jobs.state(waiting)).isEqualTo("PENDING");

    for (String id : List.of(succeeded, failed, retried, cancelled, timedOut, waiting)) {
      assertThat(reservations(id)).as("reservations of job %s", id).isEmpty();
    }
    Api.asAdmin().post("/api/v1/jobs/" + waiting + "/cancel").then().statusCode(202);
  }

  @Test
  void reconciliationReleasesWhatEndedAttemptsHoldAndRecordsWhatLiveOnesMiss() {
    String ended = Jobs.submit(Map.of("name", "ended", "command", "true"));
    Jobs.awaitState(ended, "SUCCEEDED", RUN);
    String running = Jobs.submit(Map.of("name", "running", "command", "sleep 10"));
    Jobs.awaitState(running, "RUNNING", RUN);

    // What a crash could leave: a reservation of an ended attempt, and a live one without any.
    execute(
        "insert into reservations (job_id, attempt, pool, provider_instance, tenant, cpu_millis,"
            + " memory_mib, gpus) values (cast('"
            + ended
            + "' as uuid), 1, 'default', 'local', 'default', 0, 0, 0)");
    execute("delete from reservations where job_id = cast('" + running + "' as uuid)");

    Reconciliation fix = reconciler.reconcile().await().atMost(Duration.ofSeconds(30));

    assertThat(fix.orphaned()).extracting(r -> r.attemptId()).contains(ended + "#1");
    assertThat(fix.missing()).extracting(r -> r.attemptId()).contains(running + "#1");
    assertThat(reservations(ended)).isEmpty();
    assertThat(reservations(running)).containsExactly(1);
    assertThat(reconciler.reconcile().await().atMost(Duration.ofSeconds(30)).clean()).isTrue();
    Jobs.awaitState(running, "SUCCEEDED", RUN);
    await().atMost(Duration.ofSeconds(10)).until(() -> reservations(running).isEmpty());
  }

  /** The attempts of the job that hold a reservation. */
  private List<Integer> reservations(String jobId) {
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        "select attempt from reservations where job_id = :job order by attempt",
                        Integer.class)
                    .setParameter("job", UUID.fromString(jobId))
                    .getResultList())
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  private void execute(String sql) {
    db.tx(session -> session.createNativeQuery(sql).executeUpdate())
        .await()
        .atMost(Duration.ofSeconds(10));
  }
}
