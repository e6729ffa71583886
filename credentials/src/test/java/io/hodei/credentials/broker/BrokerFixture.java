package io.hodei.credentials.broker;

import io.hodei.credentials.audit.InMemoryAuditLog;
import io.hodei.credentials.policy.AccessPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A broker over a testing backend, clock and scheduler; retries wait on the testing clock. */
final class BrokerFixture {

  final TestingClock clock = new TestingClock(Instant.parse("2025-01-01T00:00:00Z"));
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final TestingSecretBackend backend = new TestingSecretBackend("aws-sm", clock);
  final InMemoryAuditLog audit = new InMemoryAuditLog();
  final List<Duration> waits = new ArrayList<>();
  final CredentialBroker broker;

  BrokerFixture(AccessPolicy policy, BrokerSettings settings) {
    Sleeper sleeper =
        duration -> {
          waits.add(duration);
          clock.advance(duration);
        };
    broker =
        new CredentialBroker(
            List.of(backend), policy, audit, settings, clock, scheduler, sleeper, () -> 0.5);
  }
}
