package io.hodei.server.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.core.jobs.JobSecret;
import io.hodei.credentials.Lease;
import io.hodei.credentials.Secret;
import io.hodei.credentials.audit.InMemoryAuditLog;
import io.hodei.credentials.broker.BrokerSettings;
import io.hodei.credentials.broker.CredentialBroker;
import io.hodei.credentials.broker.ManualScheduler;
import io.hodei.credentials.broker.TestingClock;
import io.hodei.credentials.broker.TestingSecretBackend;
import io.hodei.credentials.policy.AccessPolicy;
import io.hodei.server.persistence.Db;
import io.hodei.server.testing.HodeiTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Dynamic secret leases survive a crash of the server: a server holds Vault-like leases for two
 * running attempts and dies without releasing them; the next server, starting with an empty broker
 * over the same backend and database, revokes the lease of the attempt that ended meanwhile, keeps
 * the one still in use, and revokes that one when its attempt ends.
 */
@QuarkusTest
@Tag("own-profile")
@WithTestResource(HodeiTestResource.class)
@TestProfile(SecretLeasesTest.NoController.class)
class SecretLeasesTest {

  /** The application's own controller stays idle, so only the servers of the test touch leases. */
  public static class NoController implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.scheduler.enabled", "false");
    }
  }

  private static final String TENANT = "acme";

  @Inject Db db;

  private final TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final TestingSecretBackend vault = new TestingSecretBackend("vault", clock);

  /** One server process's view: its broker, and the beans that hold leases through it. */
  private final class Server {
    final CredentialBroker broker =
        new CredentialBroker(
            List.of(vault),
            AccessPolicy.builder().build(),
            new InMemoryAuditLog(),
            BrokerSettings.defaults(),
            clock,
            new ManualScheduler(clock),
            duration -> clock.advance(duration),
            () -> 0.5);
    final JobSecrets secrets = new JobSecrets(broker);
    final SecretLeases leases = new SecretLeases(db, secrets, clock);

    /** What dispatching the attempt does with its secrets: resolve, record, send, hold. */
    void dispatch(UUID job, String worker, String... paths) {
      List<JobSecret> wanted =
          java.util.Arrays.stream(paths)
              .map(
                  path ->
                      new JobSecret(
                          "vault:tenants/" + TENANT + "/" + path,
                          Optional.empty(),
                          Optional.of(path.toUpperCase()),
                          Optional.empty()))
              .toList();
      JobSecrets.Resolved resolved = secrets.resolve(job.toString(), TENANT, worker, wanted);
      assertThat(
              leases
                  .record(job.toString(), 1, TENANT, worker, resolved.leases())
                  .await()
                  .atMost(Duration.ofSeconds(10)))
          .isTrue();
      secrets.hold(job.toString(), 1, resolved.leases());
    }

    /** A pass of the controller, or the recovery at start. */
    void releaseEnded() {
      leases.releaseEnded().await().atMost(Duration.ofSeconds(30));
    }
  }

  @Test
  void leasesOfAttemptsThatEndedWhileTheServerWasDownAreRevokedWhenTheNextOneStarts() {
    vault.leases(Duration.ofHours(1), Duration.ofHours(24));
    vault.put("tenants/acme/db", "db-password");
    vault.put("tenants/acme/api", "api-token");
    UUID finishing = job("RUNNING");
    UUID running = job("RUNNING");

    Server crashed = new Server();
    crashed.dispatch(finishing, UUID.randomUUID().toString(), "db", "api");
    crashed.dispatch(running, UUID.randomUUID().toString(), "db");
    // Both attempts share the value of vault:tenants/acme/db, and so its backend lease.
    String shared = backendLease(running, "db");
    String finishingOnly = backendLease(finishing, "api");
    assertThat(backendLease(finishing, "db")).isEqualTo(shared);
    assertThat(rows(finishing)).isEqualTo(2);
    assertThat(rows(running)).isEqualTo(1);
    // The crash: the process is gone, nothing was released.

    sql("update jobs set state = 'SUCCEEDED', finished_at = now() where id = '" + finishing + "'");
    Server restarted = new Server();
    restarted.releaseEnded();

    assertThat(revokedLeaseIds())
        .as("the ended attempt's own lease is revoked; the shared one is still in use")
        .containsExactly(finishingOnly);
    assertThat(rows(finishing)).isZero();
    assertThat(rows(running)).isEqualTo(1);

    restarted.releaseEnded();
    assertThat(revokedLeaseIds()).as("a running attempt keeps its lease").hasSize(1);

    sql("update jobs set state = 'FAILED', finished_at = now() where id = '" + running + "'");
    restarted.releaseEnded();
    assertThat(revokedLeaseIds()).containsExactly(finishingOnly, shared);
    assertThat(rows(running)).isZero();
  }

  @Test
  void leasesReleasedByTheServerThatHoldsThemAreNotLeftOver() {
    vault.leases(Duration.ofHours(1), Duration.ofHours(24));
    vault.put("tenants/acme/token", "t");
    UUID job = job("RUNNING");
    Server server = new Server();
    server.dispatch(job, UUID.randomUUID().toString(), "token");

    sql("update jobs set state = 'SUCCEEDED', finished_at = now() where id = '" + job + "'");
    server.releaseEnded();

    assertThat(revokedLeaseIds()).hasSize(1);
    assertThat(rows(job)).isZero();
    new Server().releaseEnded();
    assertThat(revokedLeaseIds()).as("nothing is revoked twice").hasSize(1);
  }

  private List<String> revokedLeaseIds() {
    return vault.revoked().stream()
        .map(Secret::lease)
        .flatMap(Optional::stream)
        .map(Lease::id)
        .flatMap(Optional::stream)
        .toList();
  }

  private String backendLease(UUID job, String path) {
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        "select backend_lease_id from job_secret_leases where job_id = :job"
                            + " and reference = :reference",
                        String.class)
                    .setParameter("job", job)
                    .setParameter("reference", "vault:tenants/" + TENANT + "/" + path)
                    .getSingleResult())
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  private long rows(UUID job) {
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        "select count(*) from job_secret_leases where job_id = :job", Long.class)
                    .setParameter("job", job)
                    .getSingleResult())
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  private UUID job(String state) {
    UUID id = UUID.randomUUID();
    sql(
        "insert into jobs (id, tenant, name, spec, pool, state, started_at) values ('"
            + id
            + "', '"
            + TENANT
            + "', 'leased', '{}', 'default', '"
            + state
            + "', now())");
    return id;
  }

  private void sql(String statement) {
    db.tx(session -> session.createNativeQuery(statement).executeUpdate())
        .await()
        .atMost(Duration.ofSeconds(10));
  }
}
