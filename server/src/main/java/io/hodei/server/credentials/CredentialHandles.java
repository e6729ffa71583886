package io.hodei.server.credentials;

import io.hodei.credentials.broker.BrokerCredentialHandle;
import io.hodei.credentials.broker.CredentialBroker;
import io.hodei.credentials.policy.Caller;
import io.hodei.credentials.policy.RawSecretDetector;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.server.identity.ProviderIdentities;
import io.hodei.server.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Hands each provider instance its credential handle, backed by the broker. */
@ApplicationScoped
public class CredentialHandles {

  private final CredentialBroker broker;
  private final CredentialPolicy policy;
  private final ProviderIdentities identities;
  private final RawSecretDetector detector = new RawSecretDetector(CredentialPolicy.SCHEMES);
  private final Map<String, BrokerCredentialHandle> open = new ConcurrentHashMap<>();

  public CredentialHandles(
      CredentialBroker broker, CredentialPolicy policy, ProviderIdentities identities) {
    this.broker = broker;
    this.policy = policy;
    this.identities = identities;
  }

  /**
   * The handle of {@code instance}, which may read what its configuration names plus what the
   * policy grants it.
   *
   * @throws io.hodei.plugin.api.ProviderException with INVALID_CONFIGURATION when a value looks
   *     like a raw secret instead of a reference
   */
  public CredentialHandle forProviderInstance(String instance, Map<String, String> config) {
    detector.requireReferences(instance, config);
    policy.grantDeclared(instance, config);
    // With Keycloak, the instance proves who it is with its own client's token on every call.
    BrokerCredentialHandle handle =
        identities.enabled()
            ? new BrokerCredentialHandle(broker, identities.callerFor(instance))
            : new BrokerCredentialHandle(
                broker, Caller.providerInstance(instance, Roles.DEFAULT_TENANT));
    BrokerCredentialHandle previous = open.put(instance, handle);
    if (previous != null) {
      previous.close();
    }
    return handle;
  }

  /** Releases the instance's leases and grants, once it is closed. */
  public void release(String instance) {
    BrokerCredentialHandle handle = open.remove(instance);
    if (handle != null) {
      handle.close();
    }
    policy.forget(instance);
    identities.forget(instance);
  }
}
