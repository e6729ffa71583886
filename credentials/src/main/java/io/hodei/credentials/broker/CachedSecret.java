package io.hodei.credentials.broker;

import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretReference;
import io.hodei.credentials.policy.Caller;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The broker's cache entry for one reference: the current value, who holds it, and the pending
 * refresh. Mutations happen while holding the entry's monitor; the value is read without it.
 */
final class CachedSecret {

  /** A value and when the broker last had it confirmed by the backend. */
  record Value(Secret secret, Instant expiresAt, Instant confirmedAt) {}

  /** One caller's hold on the value, with its rotation listeners. */
  record Holder(
      String leaseId, Caller caller, FetchContext context, List<Consumer<Secret>> listeners) {}

  record HolderKey(Caller caller, FetchContext context) {}

  final SecretReference reference;
  final Map<HolderKey, Holder> holders = new ConcurrentHashMap<>();
  private volatile Value value;
  private BrokerScheduler.Cancellable refresh;
  private boolean retired;

  CachedSecret(SecretReference reference) {
    this.reference = reference;
  }

  Value value() {
    return value;
  }

  synchronized void value(Value next) {
    this.value = next;
  }

  /** The caller's holder, created on first use. Call while holding the monitor. */
  Holder holder(Caller caller, FetchContext context, String newLeaseId) {
    return holders.computeIfAbsent(
        new HolderKey(caller, context),
        key -> new Holder(newLeaseId, caller, context, new CopyOnWriteArrayList<>()));
  }

  Optional<Holder> removeHolder(String leaseId) {
    for (Map.Entry<HolderKey, Holder> entry : holders.entrySet()) {
      if (entry.getValue().leaseId().equals(leaseId)) {
        holders.remove(entry.getKey());
        return Optional.of(entry.getValue());
      }
    }
    return Optional.empty();
  }

  synchronized boolean retired() {
    return retired;
  }

  /** Marks the entry dead and calls off its refresh. */
  synchronized void retire() {
    retired = true;
    replaceRefresh(null);
  }

  synchronized void replaceRefresh(BrokerScheduler.Cancellable next) {
    if (refresh != null) {
      refresh.cancel();
    }
    refresh = next;
  }
}
