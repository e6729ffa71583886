package io.hodei.credentials.broker;

import io.hodei.credentials.BackendException;
import io.hodei.credentials.Lease;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretBackend;
import io.hodei.credentials.SecretReference;
import io.hodei.credentials.audit.AuditAction;
import io.hodei.credentials.audit.AuditEntry;
import io.hodei.credentials.audit.AuditLog;
import io.hodei.credentials.audit.AuditOutcome;
import io.hodei.credentials.policy.AccessDeniedException;
import io.hodei.credentials.policy.AccessPolicy;
import io.hodei.credentials.policy.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Hands out secret values by reference: checks the policy on every call, serves from a cache shared
 * by all callers, refreshes ahead of expiry, pushes rotated values to subscribers, keeps serving
 * the last good value for a bounded time while a backend is down, and audits all of it.
 *
 * <p>Thread-safe. {@link #fetch} blocks only when the value is not cached (or too stale) and a
 * backend must be asked; background refreshes run on the scheduler this broker owns.
 */
public final class CredentialBroker implements AutoCloseable {

  private static final Duration MIN_REFRESH_DELAY = Duration.ofSeconds(1);
  private static final System.Logger LOG = System.getLogger(CredentialBroker.class.getName());

  private final Map<String, SecretBackend> backends;
  // Replaced whole when the policy changes; every call checks the one in force then.
  private volatile AccessPolicy policy;
  private final AuditLog audit;
  private final BrokerSettings settings;
  private final Clock clock;
  private final BrokerScheduler scheduler;
  private final BackendRetrier retrier;
  private final Map<SecretReference, CachedSecret> cache = new ConcurrentHashMap<>();
  private final RotationNotifier notifier = new RotationNotifier(LOG);

  /**
   * @param backends one per scheme; the broker closes them when it closes
   * @param scheduler runs background refreshes; the broker closes it when it closes
   * @param sleeper waits between retries
   * @param random jitter source, values in [0, 1)
   */
  public CredentialBroker(
      List<SecretBackend> backends,
      AccessPolicy policy,
      AuditLog audit,
      BrokerSettings settings,
      Clock clock,
      BrokerScheduler scheduler,
      Sleeper sleeper,
      DoubleSupplier random) {
    Map<String, SecretBackend> byScheme = new LinkedHashMap<>();
    for (SecretBackend backend : backends) {
      if (byScheme.putIfAbsent(backend.scheme(), backend) != null) {
        throw new IllegalArgumentException(
            "two secret backends claim the scheme '" + backend.scheme() + "'; keep one");
      }
    }
    this.backends = Map.copyOf(byScheme);
    this.policy = policy;
    this.audit = audit;
    this.settings = settings;
    this.clock = clock;
    this.scheduler = scheduler;
    this.retrier = new BackendRetrier(settings.retry(), sleeper, random);
  }

  /**
   * The value behind {@code reference} for {@code caller}, under a lease that stays the same for
   * the same caller and context until released.
   *
   * @throws AccessDeniedException when the policy does not let the caller read it (audited)
   * @throws BackendException when there is no such backend or secret, or the backend is down and no
   *     value within the maximum staleness is cached (audited)
   */
  public BrokerLease fetch(Caller caller, SecretReference reference, FetchContext context) {
    return fetch(caller, reference, context, null);
  }

  /**
   * Like {@link #fetch}, and calls {@code listener} with each new version of the value until the
   * returned lease is released. The listener runs on a broker thread; it should be quick.
   */
  public BrokerLease subscribe(
      Caller caller, SecretReference reference, FetchContext context, Consumer<Secret> listener) {
    return fetch(caller, reference, context, listener);
  }

  private BrokerLease fetch(
      Caller caller, SecretReference reference, FetchContext context, Consumer<Secret> listener) {
    authorize(caller, reference, context);
    SecretBackend backend = backendFor(reference);
    while (true) {
      CachedSecret entry = cache.computeIfAbsent(reference, CachedSecret::new);
      synchronized (entry) {
        if (entry.retired()) {
          continue; // released concurrently; start over with a fresh entry
        }
        CachedSecret.Value value = current(entry, backend, caller, context);
        Instant now = clock.instant();
        boolean stale = !now.isBefore(value.expiresAt());
        String fresh = UUID.randomUUID().toString();
        CachedSecret.Holder holder = entry.holder(caller, context, fresh);
        if (listener != null) {
          holder.listeners().add(listener);
        }
        try {
          record(
              AuditAction.ISSUE,
              Optional.of(caller),
              reference,
              Optional.of(holder.leaseId()),
              context,
              stale ? AuditOutcome.STALE : AuditOutcome.SUCCESS,
              "version " + value.secret().version());
        } catch (RuntimeException unaudited) {
          // Not served, so not held: a new holder goes again, or it would keep the value alive.
          if (holder.leaseId().equals(fresh)) {
            forget(entry, fresh, unaudited);
          }
          throw unaudited;
        }
        return new BrokerLease(
            holder.leaseId(), reference, value.secret(), value.expiresAt(), stale);
      }
    }
  }

  /**
   * Ends one holder's lease; when no holder of the reference remains, the cached value is dropped
   * and its backend lease revoked. Idempotent.
   */
  public void release(BrokerLease lease) {
    CachedSecret entry = cache.get(lease.reference());
    if (entry == null) {
      return;
    }
    synchronized (entry) {
      Optional<CachedSecret.Holder> holder = entry.removeHolder(lease.id());
      if (holder.isEmpty()) {
        return;
      }
      CachedSecret.Holder released = holder.get();
      record(
          AuditAction.REVOKE,
          Optional.of(released.caller()),
          lease.reference(),
          Optional.of(lease.id()),
          released.context(),
          AuditOutcome.SUCCESS,
          entry.holders.isEmpty() ? "last holder; backend lease revoked" : "holder released");
      if (entry.holders.isEmpty()) {
        entry.retire();
        cache.remove(lease.reference(), entry);
        revokeAtBackend(entry, released);
      }
    }
  }

  /**
   * Ends a backend lease this broker does not hold: one an earlier process handed out and its
   * holder recorded, such as a crashed server's. Does nothing while this broker serves the same
   * backend lease to someone. Audited as a revocation by {@code caller} of its lease {@code
   * leaseId}.
   *
   * @throws BackendException when there is no such backend or it refused (audited)
   */
  public void revokeLeftOver(
      Caller caller,
      SecretReference reference,
      String leaseId,
      String backendLeaseId,
      FetchContext context) {
    CachedSecret entry = cache.get(reference);
    CachedSecret.Value cached = entry == null ? null : entry.value();
    if (cached != null
        && !entry.retired()
        && cached.secret().lease().flatMap(Lease::id).filter(backendLeaseId::equals).isPresent()) {
      return;
    }
    SecretBackend backend = backendFor(reference);
    Instant now = clock.instant();
    Secret leased =
        new Secret(
            reference,
            Map.of(),
            "left over",
            Optional.of(new Lease(Optional.of(backendLeaseId), now, false, Optional.empty())));
    try {
      backend.revoke(leased);
    } catch (BackendException e) {
      record(
          AuditAction.FAIL,
          Optional.of(caller),
          reference,
          Optional.of(leaseId),
          context,
          AuditOutcome.FAILED,
          "revoking a left-over backend lease failed; it ends at its expiry: " + e.getMessage());
      throw e;
    }
    record(
        AuditAction.REVOKE,
        Optional.of(caller),
        reference,
        Optional.of(leaseId),
        context,
        AuditOutcome.SUCCESS,
        "left over by an earlier server; backend lease revoked");
  }

  /** Drops a holder that was never served; the last one takes the cached value with it. */
  private void forget(CachedSecret entry, String leaseId, RuntimeException cause) {
    Optional<CachedSecret.Holder> removed = entry.removeHolder(leaseId);
    if (removed.isPresent() && entry.holders.isEmpty()) {
      entry.retire();
      cache.remove(entry.reference, entry);
      try {
        revokeAtBackend(entry, removed.get());
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
  }

  /**
   * Puts {@code next} in force for every later call. Values already handed out stay with their
   * holders; a holder that lost its grant is refused on its next fetch.
   */
  public void policy(AccessPolicy next) {
    this.policy = java.util.Objects.requireNonNull(next, "policy");
  }

  /**
   * Re-reads {@code reference} now instead of at its next scheduled refresh, e.g. after a write
   * through the embedded store's API, so that holders see the new version at once. Does nothing
   * when no one holds it.
   */
  public void refreshSoon(SecretReference reference) {
    CachedSecret entry = cache.get(reference);
    if (entry != null) {
      scheduleRefresh(entry, Duration.ZERO);
    }
  }

  /** How many references are cached; for metrics. */
  public int cachedReferences() {
    return cache.size();
  }

  @Override
  public void close() {
    cache.values().forEach(CachedSecret::retire);
    cache.clear();
    scheduler.close();
    backends.values().forEach(SecretBackend::close);
  }

  private void authorize(Caller caller, SecretReference reference, FetchContext context) {
    try {
      policy.check(caller, reference);
    } catch (AccessDeniedException denied) {
      record(
          AuditAction.DENY,
          Optional.of(caller),
          reference,
          Optional.empty(),
          context,
          AuditOutcome.DENIED,
          denied.getMessage());
      throw denied;
    }
  }

  private SecretBackend backendFor(SecretReference reference) {
    SecretBackend backend = backends.get(reference.backend());
    if (backend == null) {
      throw new BackendException(
          BackendException.Kind.NOT_FOUND,
          "no secret backend '"
              + reference.backend()
              + "' is configured for '"
              + reference
              + "'; configured backends: "
              + backends.keySet());
    }
    return backend;
  }

  /** The value to serve; reads the backend when none is cached or it is too stale to serve. */
  private CachedSecret.Value current(
      CachedSecret entry, SecretBackend backend, Caller caller, FetchContext context) {
    CachedSecret.Value value = entry.value();
    Instant now = clock.instant();
    if (value != null && !now.isAfter(value.expiresAt().plus(settings.maxStaleness()))) {
      return value; // fresh, or stale within bounds while the background refresh keeps trying
    }
    try {
      Secret secret =
          retrier.call("reading '" + entry.reference + "'", () -> backend.read(entry.reference));
      return install(entry, secret, null);
    } catch (BackendException e) {
      String message =
          value == null
              ? e.getMessage()
              : e.getMessage()
                  + "; the last good value expired at "
                  + value.expiresAt()
                  + ", more than the maximum staleness of "
                  + settings.maxStaleness()
                  + " ago. Restore the backend or raise the maximum staleness";
      record(
          AuditAction.FAIL,
          Optional.of(caller),
          entry.reference,
          Optional.empty(),
          context,
          AuditOutcome.FAILED,
          message);
      throw new BackendException(e.kind(), message, e);
    }
  }

  /**
   * Caches a value just read or renewed, pushes it if it rotated, and schedules its refresh. A
   * background refresh passes how it got the value to be audited; a fetch audits its own issue.
   */
  private CachedSecret.Value install(CachedSecret entry, Secret secret, AuditAction background) {
    Instant now = clock.instant();
    Instant expiresAt =
        secret.lease().map(Lease::expiresAt).orElse(now.plus(settings.unleasedTtl()));
    CachedSecret.Value previous = entry.value();
    CachedSecret.Value next = new CachedSecret.Value(secret, expiresAt, now);
    entry.value(next);
    if (background != null) {
      String what = background == AuditAction.RENEW ? "renewed" : "read anew";
      record(
          background,
          Optional.empty(),
          entry.reference,
          Optional.empty(),
          FetchContext.none(),
          AuditOutcome.SUCCESS,
          what + ", version " + secret.version() + " until " + expiresAt);
    }
    if (previous != null && !previous.secret().version().equals(secret.version())) {
      record(
          AuditAction.ROTATE,
          Optional.empty(),
          entry.reference,
          Optional.empty(),
          FetchContext.none(),
          AuditOutcome.SUCCESS,
          "version " + previous.secret().version() + " -> " + secret.version());
      notifier.notify(entry, secret);
    }
    long life = Math.max(0, Duration.between(now, expiresAt).toMillis());
    // A floor, so that a backend handing out leases that are already over cannot spin us.
    long delay = Math.max(MIN_REFRESH_DELAY.toMillis(), (long) (life * settings.refreshAt()));
    scheduleRefresh(entry, Duration.ofMillis(delay));
    return next;
  }

  private void scheduleRefresh(CachedSecret entry, Duration delay) {
    if (!entry.retired()) {
      entry.replaceRefresh(scheduler.schedule(delay, () -> refresh(entry)));
    }
  }

  /** Renews the backend lease while it may be renewed, reads a new value otherwise. */
  private void refresh(CachedSecret entry) {
    if (entry.retired()) {
      return;
    }
    SecretBackend backend = backends.get(entry.reference.backend());
    CachedSecret.Value current = entry.value();
    try {
      Refreshed next =
          renewable(current.secret())
              ? renewOrReissue(backend, current.secret())
              : new Refreshed(reissue(backend, entry.reference), AuditAction.ISSUE);
      synchronized (entry) {
        if (!entry.retired()) {
          install(entry, next.secret(), next.action());
        }
      }
    } catch (BackendException e) {
      record(
          AuditAction.FAIL,
          Optional.empty(),
          entry.reference,
          Optional.empty(),
          FetchContext.none(),
          AuditOutcome.FAILED,
          "background refresh failed, serving the last good value: " + e.getMessage());
      scheduleRefresh(entry, settings.refreshRetryInterval());
    }
  }

  private boolean renewable(Secret secret) {
    Instant now = clock.instant();
    return secret
        .lease()
        .filter(Lease::renewable)
        .filter(lease -> lease.expiresAt().isAfter(now))
        // Once renewal has reached the maximum TTL it cannot extend the lease any further.
        .filter(lease -> lease.maxExpiresAt().map(lease.expiresAt()::isBefore).orElse(true))
        .isPresent();
  }

  private Refreshed renewOrReissue(SecretBackend backend, Secret secret) {
    try {
      Secret renewed =
          retrier.call("renewing '" + secret.reference() + "'", () -> backend.renew(secret));
      return new Refreshed(renewed, AuditAction.RENEW);
    } catch (BackendException e) {
      if (e.kind() != BackendException.Kind.LEASE_EXPIRED) {
        throw e;
      }
      // Past its maximum TTL a renewal can never succeed again, so issue a new value.
      return new Refreshed(reissue(backend, secret.reference()), AuditAction.ISSUE);
    }
  }

  private Secret reissue(SecretBackend backend, SecretReference reference) {
    return retrier.call("re-reading '" + reference + "'", () -> backend.read(reference));
  }

  private record Refreshed(Secret secret, AuditAction action) {}

  private void revokeAtBackend(CachedSecret entry, CachedSecret.Holder last) {
    CachedSecret.Value value = entry.value();
    if (value == null || value.secret().lease().flatMap(Lease::id).isEmpty()) {
      return; // nothing the backend could revoke
    }
    try {
      backends.get(entry.reference.backend()).revoke(value.secret());
    } catch (BackendException e) {
      record(
          AuditAction.FAIL,
          Optional.of(last.caller()),
          entry.reference,
          Optional.of(last.leaseId()),
          last.context(),
          AuditOutcome.FAILED,
          "revoking the backend lease failed; it ends at its expiry: " + e.getMessage());
      throw e;
    }
  }

  private void record(
      AuditAction action,
      Optional<Caller> caller,
      SecretReference reference,
      Optional<String> leaseId,
      FetchContext context,
      AuditOutcome outcome,
      String detail) {
    audit.record(
        new AuditEntry(
            clock.instant(),
            action,
            caller,
            reference,
            leaseId,
            context.jobId(),
            context.workerId(),
            outcome,
            detail));
  }
}
