package io.hodei.plugins.aci;

import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.CredentialHandle;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A credential broker that rotated a value but has not told its subscribers yet: the provider
 * learns of the new value only by fetching it again.
 */
final class BrokerWithoutNotifications implements CredentialHandle {

  private final Map<String, Credential> values = new ConcurrentHashMap<>();
  final AtomicInteger reads = new AtomicInteger();

  void put(String reference, Map<String, String> fields, String version) {
    values.put(reference, new Credential(reference, fields, version, Optional.empty()));
  }

  @Override
  public Credential get(String reference) {
    reads.incrementAndGet();
    return values.get(reference);
  }

  @Override
  public void onRotation(String reference, Consumer<Credential> listener) {
    // Never called back: that is the point of this broker.
  }
}
