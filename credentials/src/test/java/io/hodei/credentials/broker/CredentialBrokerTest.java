package io.hodei.credentials.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.credentials.BackendException;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretReference;
import io.hodei.credentials.audit.AuditAction;
import io.hodei.credentials.audit.AuditEntry;
import io.hodei.credentials.audit.AuditOutcome;
import io.hodei.credentials.policy.AccessDeniedException;
import io.hodei.credentials.policy.AccessPolicy;
import io.hodei.credentials.policy.Caller;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CredentialBrokerTest {

  private static final SecretReference DEPLOYER = SecretReference.parse("aws-sm:prod/ecs-deployer");
  private static final Caller ECS = Caller.providerInstance("ecs-prod", "platform");
  private static final Caller ECS_EU = Caller.providerInstance("ecs-eu", "platform");
  private static final AccessPolicy POLICY =
      AccessPolicy.builder()
          .allowProviderInstance("ecs-prod", "aws-sm:prod/ecs-*")
          .allowProviderInstance("ecs-eu", "aws-sm:prod/ecs-*")
          .allowProviderInstance("k8s-prod", "aws-sm:prod/k8s-*")
          .build();

  private BrokerFixture fixture(BrokerSettings settings) {
    BrokerFixture fixture = new BrokerFixture(POLICY, settings);
    fixture.backend.put("prod/ecs-deployer", "first");
    return fixture;
  }

  private BrokerFixture fixture() {
    return fixture(BrokerSettings.defaults());
  }

  @Test
  void servesOneBackendReadToEveryAllowedCallerAndAuditsEachIssue() {
    BrokerFixture f = fixture();

    BrokerLease first = f.broker.fetch(ECS, DEPLOYER, FetchContext.none());
    BrokerLease second = f.broker.fetch(ECS_EU, DEPLOYER, FetchContext.worker("w-1"));
    BrokerLease again = f.broker.fetch(ECS, DEPLOYER, FetchContext.none());

    assertThat(second.secret().fields()).containsEntry("value", "first");
    assertThat(f.backend.calls()).containsExactly("read prod/ecs-deployer");
    assertThat(again.id()).isEqualTo(first.id()).isNotEqualTo(second.id());
    List<AuditEntry> issues = f.audit.entries(AuditAction.ISSUE);
    assertThat(issues).hasSize(3);
    assertThat(issues.get(1).caller()).contains(ECS_EU);
    assertThat(issues.get(1).workerId()).contains("w-1");
    assertThat(issues.get(1).leaseId()).contains(second.id());
    assertThat(f.audit.entries()).allSatisfy(e -> assertThat(e.detail()).doesNotContain("first"));
  }

  @Test
  void providerInstanceIsDeniedAnotherInstancesSecretEvenWhenCached() {
    BrokerFixture f = fixture();
    f.broker.fetch(ECS, DEPLOYER, FetchContext.none());

    assertThatThrownBy(
            () ->
                f.broker.fetch(
                    Caller.providerInstance("k8s-prod", "platform"), DEPLOYER, FetchContext.none()))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("provider instance 'k8s-prod'")
        .hasMessageContaining("aws-sm:prod/ecs-deployer")
        .hasMessageContaining("it may read only [aws-sm:prod/k8s-*]");

    AuditEntry denial = f.audit.entries(AuditAction.DENY).get(0);
    assertThat(denial.caller()).contains(Caller.providerInstance("k8s-prod", "platform"));
    assertThat(denial.reference()).isEqualTo(DEPLOYER);
    assertThat(denial.outcome()).isEqualTo(AuditOutcome.DENIED);
  }

  @Test
  void tenantJobReadsItsOwnTenantsSecretsAndNotAnothers() {
    BrokerFixture f = fixture();
    f.backend.put("tenants/acme/npm-token", "acme-token");
    f.backend.put("tenants/globex/npm-token", "globex-token");
    Caller acmeJob = Caller.job("job-7", "acme");

    BrokerLease own =
        f.broker.fetch(
            acmeJob,
            SecretReference.parse("aws-sm:tenants/acme/npm-token"),
            FetchContext.job("job-7"));
    assertThat(own.secret().fields()).containsEntry("value", "acme-token");

    assertThatThrownBy(
            () ->
                f.broker.fetch(
                    acmeJob,
                    SecretReference.parse("aws-sm:tenants/globex/npm-token"),
                    FetchContext.job("job-7")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("job 'job-7' (tenant acme)")
        .hasMessageContaining("only its own tenant's secrets");
    AuditEntry denial = f.audit.entries(AuditAction.DENY).get(0);
    assertThat(denial.jobId()).contains("job-7");
    assertThat(denial.reference().path()).isEqualTo("tenants/globex/npm-token");
    assertThat(f.backend.calls()).doesNotContain("read tenants/globex/npm-token");
  }

  @Test
  void rotatedValueReachesSubscriberWithinFiveSecondsAndOldValueIsServedUntilThen() {
    BrokerFixture f = fixture(BrokerSettings.defaults().withUnleasedTtl(Duration.ofSeconds(6)));
    List<Secret> pushed = new CopyOnWriteArrayList<>();
    f.broker.subscribe(ECS, DEPLOYER, FetchContext.none(), pushed::add);

    f.scheduler.advance(Duration.ofMillis(500));
    f.backend.put("prod/ecs-deployer", "second"); // rotated in the backend at t=0.5 s
    f.scheduler.advance(Duration.ofSeconds(3)); // t=3.5 s: not yet re-read
    assertThat(pushed).isEmpty();
    assertThat(f.broker.fetch(ECS, DEPLOYER, FetchContext.none()).secret().fields())
        .containsEntry("value", "first");

    f.scheduler.advance(Duration.ofSeconds(2)); // t=5.5 s: 5 s after the rotation
    assertThat(pushed)
        .singleElement()
        .satisfies(s -> assertThat(s.fields()).containsEntry("value", "second"));
    assertThat(pushed.get(0).version()).isEqualTo("v2");
    assertThat(f.broker.fetch(ECS, DEPLOYER, FetchContext.none()).secret().version())
        .isEqualTo("v2");
    assertThat(f.audit.entries(AuditAction.ROTATE))
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).isEqualTo("version v1 -> v2"));
  }

  @Test
  void refreshSoonPushesAWrittenValueWithoutWaitingForTheScheduledRefresh() {
    BrokerFixture f = fixture(BrokerSettings.defaults().withUnleasedTtl(Duration.ofMinutes(10)));
    List<Secret> pushed = new CopyOnWriteArrayList<>();
    f.broker.subscribe(ECS, DEPLOYER, FetchContext.none(), pushed::add);

    f.backend.put("prod/ecs-deployer", "second");
    f.broker.refreshSoon(DEPLOYER);
    f.scheduler.advance(Duration.ZERO);

    assertThat(pushed)
        .singleElement()
        .satisfies(s -> assertThat(s.fields()).containsEntry("value", "second"));
  }

  @Test
  void renewsLeasesAheadOfExpiryAndReadsAnewPastTheMaximumTtl() {
    BrokerFixture f = fixture();
    f.backend.leases(Duration.ofSeconds(60), Duration.ofSeconds(150));
    BrokerLease lease = f.broker.fetch(ECS, DEPLOYER, FetchContext.none());
    assertThat(lease.expiresAt()).isEqualTo(f.clock.instant().plusSeconds(60));

    f.scheduler.advance(Duration.ofSeconds(40));
    assertThat(f.backend.calls())
        .containsExactly("read prod/ecs-deployer", "renew prod/ecs-deployer");

    f.scheduler.advance(Duration.ofSeconds(110)); // past the 150 s maximum
    assertThat(f.backend.calls())
        .containsSubsequence("renew prod/ecs-deployer", "read prod/ecs-deployer");
    assertThat(f.audit.entries(AuditAction.RENEW)).isNotEmpty();
    Secret current = f.broker.fetch(ECS, DEPLOYER, FetchContext.none()).secret();
    assertThat(current.lease().orElseThrow().id())
        .isNotEqualTo(lease.secret().lease().orElseThrow().id());
    assertThat(f.broker.fetch(ECS, DEPLOYER, FetchContext.none()).stale()).isFalse();
  }

  @Test
  void outageServesLastGoodValueUntilMaxStalenessThenFailsClearly() {
    BrokerSettings settings =
        BrokerSettings.defaults()
            .withUnleasedTtl(Duration.ofSeconds(30))
            .withMaxStaleness(Duration.ofSeconds(60));
    BrokerFixture f = fixture(settings);
    f.broker.fetch(ECS, DEPLOYER, FetchContext.none());
    f.backend.down(BackendException.Kind.UNAVAILABLE);

    f.scheduler.advance(Duration.ofSeconds(50)); // expired at 30 s, 20 s stale
    BrokerLease stale = f.broker.fetch(ECS, DEPLOYER, FetchContext.none());
    assertThat(stale.stale()).isTrue();
    assertThat(stale.secret().fields()).containsEntry("value", "first");
    assertThat(f.audit.entries(AuditAction.ISSUE))
        .last()
        .satisfies(e -> assertThat(e.outcome()).isEqualTo(AuditOutcome.STALE));
    assertThat(f.audit.entries(AuditAction.FAIL)).isNotEmpty();

    f.scheduler.advance(Duration.ofSeconds(45)); // 95 s: 65 s stale, past the 60 s maximum
    assertThatThrownBy(() -> f.broker.fetch(ECS, DEPLOYER, FetchContext.none()))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("maximum staleness of PT1M")
        .hasMessageContaining("Restore the backend");
    assertThat(f.audit.entries(AuditAction.FAIL))
        .last()
        .satisfies(e -> assertThat(e.caller()).contains(ECS));

    f.backend.up();
    assertThat(f.broker.fetch(ECS, DEPLOYER, FetchContext.none()).stale()).isFalse();
  }

  @Test
  void retriesThrottlingServerErrorsAndTimeoutsWithGrowingJitteredBackoff() {
    BrokerFixture f = fixture();
    f.backend.failNext(
        BackendException.Kind.THROTTLED,
        BackendException.Kind.UNAVAILABLE,
        BackendException.Kind.TIMEOUT);

    BrokerLease lease = f.broker.fetch(ECS, DEPLOYER, FetchContext.none());

    assertThat(lease.secret().fields()).containsEntry("value", "first");
    assertThat(f.backend.calls()).hasSize(4);
    // 200, 400, 800 ms with half of each random; the testing jitter source returns 0.5.
    assertThat(f.waits)
        .containsExactly(Duration.ofMillis(150), Duration.ofMillis(300), Duration.ofMillis(600));
  }

  @Test
  void givesUpAfterTheLastAttemptAndNeverRetriesWhatCannotSucceed() {
    BrokerFixture f = fixture();
    f.backend.down(BackendException.Kind.THROTTLED);
    assertThatThrownBy(() -> f.broker.fetch(ECS, DEPLOYER, FetchContext.none()))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("after 4 attempts");
    assertThat(f.backend.calls()).hasSize(4);

    BrokerFixture g = fixture();
    assertThatThrownBy(
            () ->
                g.broker.fetch(
                    ECS, SecretReference.parse("aws-sm:prod/ecs-missing"), FetchContext.none()))
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.NOT_FOUND));
    assertThat(g.backend.calls()).hasSize(1);
    assertThat(g.waits).isEmpty();
  }

  @Test
  void revokesTheBackendLeaseWhenTheLastHolderReleases() {
    BrokerFixture f = fixture();
    f.backend.leases(Duration.ofMinutes(10), Duration.ofHours(1));
    BrokerLease ecs = f.broker.fetch(ECS, DEPLOYER, FetchContext.none());
    BrokerLease eu = f.broker.fetch(ECS_EU, DEPLOYER, FetchContext.none());

    f.broker.release(ecs);
    assertThat(f.backend.revoked()).isEmpty();
    f.broker.release(eu);
    f.broker.release(eu);

    assertThat(f.backend.revoked()).hasSize(1);
    assertThat(f.broker.cachedReferences()).isZero();
    assertThat(f.scheduler.pending()).isZero();
    assertThat(f.audit.entries(AuditAction.REVOKE))
        .extracting(AuditEntry::leaseId)
        .containsExactly(Optional.of(ecs.id()), Optional.of(eu.id()));
  }

  @Test
  void unknownBackendIsAClearError() {
    BrokerFixture f =
        new BrokerFixture(
            AccessPolicy.builder().allowProviderInstance("ecs-prod", "*:**").build(),
            BrokerSettings.defaults());
    assertThatThrownBy(
            () -> f.broker.fetch(ECS, SecretReference.parse("vault:kv/x"), FetchContext.none()))
        .hasMessageContaining("no secret backend 'vault' is configured")
        .hasMessageContaining("[aws-sm]");
  }
}
