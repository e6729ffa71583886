package io.hodei.credentials.broker;

import io.hodei.credentials.BackendException;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretReference;
import io.hodei.credentials.identity.InvalidTokenException;
import io.hodei.credentials.policy.AccessDeniedException;
import io.hodei.credentials.policy.Caller;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The credential handle one provider instance receives: every call goes through the broker as that
 * instance, and failures become the provider API's error codes. Closing it releases its leases.
 */
public final class BrokerCredentialHandle implements CredentialHandle, AutoCloseable {

  private final CredentialBroker broker;
  private final Supplier<Caller> caller;
  private final Map<SecretReference, BrokerLease> leases = new ConcurrentHashMap<>();

  public BrokerCredentialHandle(CredentialBroker broker, Caller caller) {
    this(broker, () -> caller);
  }

  /**
   * A handle that establishes its caller on every call, e.g. by verifying the instance's current
   * identity token; an {@link InvalidTokenException} from it fails the call as UNAVAILABLE.
   */
  public BrokerCredentialHandle(CredentialBroker broker, Supplier<Caller> caller) {
    this.broker = broker;
    this.caller = caller;
  }

  @Override
  public Credential get(String reference) {
    SecretReference parsed = parse(reference);
    BrokerLease lease = call(parsed, () -> broker.fetch(caller.get(), parsed, FetchContext.none()));
    leases.put(parsed, lease);
    return toCredential(lease.secret(), lease);
  }

  @Override
  public void onRotation(String reference, Consumer<Credential> listener) {
    SecretReference parsed = parse(reference);
    Consumer<Secret> push = secret -> listener.accept(toCredential(secret, null));
    BrokerLease lease =
        call(parsed, () -> broker.subscribe(caller.get(), parsed, FetchContext.none(), push));
    leases.put(parsed, lease);
  }

  /** Releases every lease this handle holds, e.g. when the provider instance is closed. */
  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (BrokerLease lease : List.copyOf(leases.values())) {
      try {
        broker.release(lease);
        leases.remove(lease.reference(), lease);
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  private static SecretReference parse(String reference) {
    try {
      return SecretReference.parse(reference);
    } catch (IllegalArgumentException e) {
      throw new ProviderException(ErrorCode.INVALID_CONFIGURATION, e.getMessage(), e);
    }
  }

  private static Credential toCredential(Secret secret, BrokerLease lease) {
    return new Credential(
        secret.reference().toString(),
        secret.fields(),
        secret.version(),
        lease == null ? Optional.empty() : Optional.of(lease.expiresAt()));
  }

  private BrokerLease call(SecretReference reference, Supplier<BrokerLease> f) {
    try {
      return f.get();
    } catch (AccessDeniedException e) {
      throw new ProviderException(ErrorCode.PERMISSION_DENIED, e.getMessage(), e);
    } catch (InvalidTokenException e) {
      // The instance's own identity failed, not its request: the operator's to fix.
      throw new ProviderException(
          ErrorCode.UNAVAILABLE,
          "the provider instance's identity was refused: " + e.getMessage(),
          e);
    } catch (BackendException e) {
      throw new ProviderException(codeFor(e.kind()), messageFor(reference, e), e);
    }
  }

  /** What a provider should make of a backend's failure. */
  static ErrorCode codeFor(BackendException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> ErrorCode.INVALID_CONFIGURATION;
      case DENIED -> ErrorCode.PERMISSION_DENIED;
      case THROTTLED -> ErrorCode.THROTTLED;
      case TIMEOUT -> ErrorCode.TIMEOUT;
      // The broker's own login or lease failing is the operator's to fix, not the provider's.
      case UNAUTHENTICATED, LEASE_EXPIRED, UNAVAILABLE -> ErrorCode.UNAVAILABLE;
      case INVALID -> ErrorCode.INTERNAL;
    };
  }

  private static String messageFor(SecretReference reference, BackendException e) {
    return switch (e.kind()) {
      case NOT_FOUND ->
          "credential '"
              + reference
              + "' does not exist: "
              + e.getMessage()
              + "; check the reference in the provider instance's configuration";
      case UNAUTHENTICATED ->
          "the credential broker could not log in to its '"
              + reference.backend()
              + "' backend: "
              + e.getMessage()
              + "; check the broker's backend configuration";
      default -> "credential '" + reference + "' is unavailable: " + e.getMessage();
    };
  }
}
