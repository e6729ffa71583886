package io.hodei.credentials.broker;

import io.hodei.credentials.BackendException;
import io.hodei.credentials.Lease;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretBackend;
import io.hodei.credentials.SecretReference;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A scriptable backend: values per path, optional leases, queued failures, and a down switch. */
public final class TestingSecretBackend implements SecretBackend {

  private final String scheme;
  private final Clock clock;
  private final Map<String, String> values = new HashMap<>();
  private final Map<String, Integer> versions = new HashMap<>();
  private final Deque<BackendException.Kind> failures = new ArrayDeque<>();
  private final List<String> calls = new ArrayList<>();
  private final List<Secret> revoked = new ArrayList<>();
  private Duration leaseTtl;
  private Duration leaseMaxTtl;
  private BackendException.Kind down;
  private int leaseCounter;

  public TestingSecretBackend(String scheme, Clock clock) {
    this.scheme = scheme;
    this.clock = clock;
  }

  /** Stores or rotates a value: each put is a new version. */
  public synchronized void put(String path, String value) {
    values.put(path, value);
    versions.merge(path, 1, Integer::sum);
  }

  /** Values come with renewable leases of {@code ttl}, renewable up to {@code maxTtl}. */
  public synchronized void leases(Duration ttl, Duration maxTtl) {
    this.leaseTtl = ttl;
    this.leaseMaxTtl = maxTtl;
  }

  /** The next calls fail with these kinds, one each. */
  public synchronized void failNext(BackendException.Kind... kinds) {
    failures.addAll(List.of(kinds));
  }

  /** Every call fails with {@code kind} until {@link #up()}. */
  public synchronized void down(BackendException.Kind kind) {
    down = kind;
  }

  public synchronized void up() {
    down = null;
  }

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<Secret> revoked() {
    return List.copyOf(revoked);
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public synchronized Secret read(SecretReference reference) {
    calls.add("read " + reference.path());
    failIfScripted();
    String value = values.get(reference.path());
    if (value == null) {
      throw new BackendException(
          BackendException.Kind.NOT_FOUND, "no secret at " + reference.path());
    }
    Optional<Lease> lease = Optional.empty();
    if (leaseTtl != null) {
      lease =
          Optional.of(
              new Lease(
                  Optional.of("lease-" + ++leaseCounter),
                  clock.instant().plus(leaseTtl),
                  true,
                  Optional.of(clock.instant().plus(leaseMaxTtl))));
    }
    return new Secret(
        reference, Map.of("value", value), "v" + versions.get(reference.path()), lease);
  }

  @Override
  public synchronized Secret renew(Secret secret) {
    calls.add("renew " + secret.reference().path());
    failIfScripted();
    Lease lease = secret.lease().orElseThrow();
    if (!clock.instant().isBefore(lease.maxExpiresAt().orElseThrow())) {
      throw new BackendException(BackendException.Kind.LEASE_EXPIRED, "past max TTL");
    }
    java.time.Instant extended = clock.instant().plus(leaseTtl);
    if (extended.isAfter(lease.maxExpiresAt().orElseThrow())) {
      extended = lease.maxExpiresAt().orElseThrow();
    }
    return new Secret(
        secret.reference(),
        secret.fields(),
        secret.version(),
        Optional.of(new Lease(lease.id(), extended, true, lease.maxExpiresAt())));
  }

  @Override
  public synchronized void revoke(Secret secret) {
    calls.add("revoke " + secret.reference().path());
    failIfScripted();
    revoked.add(secret);
  }

  @Override
  public void close() {}

  private void failIfScripted() {
    BackendException.Kind kind = failures.poll();
    if (kind == null) {
      kind = down;
    }
    if (kind != null) {
      throw new BackendException(kind, "scripted " + kind);
    }
  }
}
