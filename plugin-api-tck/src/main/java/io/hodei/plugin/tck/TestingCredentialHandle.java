package io.hodei.plugin.tck;

import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A credential handle backed by a map, standing in for the host's broker in provider tests. Values
 * can be rotated, which calls the listeners a provider registered, like the broker does.
 */
public final class TestingCredentialHandle implements CredentialHandle {

  private final Map<String, Credential> credentials = new ConcurrentHashMap<>();
  private final Map<String, List<Consumer<Credential>>> listeners = new ConcurrentHashMap<>();
  private final Map<String, Integer> reads = new ConcurrentHashMap<>();

  /** A handle that holds no credentials: every {@link #get} fails as a missing reference. */
  public static TestingCredentialHandle empty() {
    return new TestingCredentialHandle();
  }

  /** Stores a single-valued secret under {@code reference}, version 1. */
  public TestingCredentialHandle with(String reference, String value) {
    return with(reference, Map.of(Credential.VALUE, value));
  }

  /** Stores a secret with several fields under {@code reference}, version 1. */
  public TestingCredentialHandle with(String reference, Map<String, String> values) {
    credentials.put(reference, new Credential(reference, values, "1", Optional.empty()));
    return this;
  }

  @Override
  public Credential get(String reference) {
    reads.merge(reference, 1, Integer::sum);
    Credential credential = credentials.get(reference);
    if (credential == null) {
      throw new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "credential '" + reference + "' does not exist; the test stores " + credentials.keySet());
    }
    return credential;
  }

  @Override
  public void onRotation(String reference, Consumer<Credential> listener) {
    listeners.computeIfAbsent(reference, r -> new CopyOnWriteArrayList<>()).add(listener);
  }

  /**
   * Replaces the value behind {@code reference} with a new version and notifies its listeners on
   * the calling thread.
   */
  public Credential rotate(String reference, Map<String, String> values) {
    Credential previous = credentials.get(reference);
    int version = previous == null ? 1 : Integer.parseInt(previous.version()) + 1;
    Credential next = new Credential(reference, values, String.valueOf(version), Optional.empty());
    credentials.put(reference, next);
    listeners.getOrDefault(reference, List.of()).forEach(listener -> listener.accept(next));
    return next;
  }

  /** How often a provider asked for {@code reference}. */
  public int reads(String reference) {
    return reads.getOrDefault(reference, 0);
  }

  /** How many rotation listeners a provider registered for {@code reference}. */
  public int listenerCount(String reference) {
    return listeners.getOrDefault(reference, List.of()).size();
  }
}
