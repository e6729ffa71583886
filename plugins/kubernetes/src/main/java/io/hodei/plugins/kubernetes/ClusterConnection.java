package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client to one cluster, rebuilt from fresh credentials whenever one the connection uses
 * rotates, so the next call carries the new token without a restart.
 */
final class ClusterConnection implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ClusterConnection.class.getName());

  private final String instanceName;
  private final KubernetesSettings.Connection settings;
  private final CredentialHandle credentials;
  private final AtomicReference<KubernetesClient> current = new AtomicReference<>();
  private final List<Consumer<KubernetesClient>> rebuildListeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private ClusterConnection(
      String instanceName, KubernetesSettings.Connection settings, CredentialHandle credentials) {
    this.instanceName = instanceName;
    this.settings = settings;
    this.credentials = credentials;
  }

  static ClusterConnection open(
      String instanceName, KubernetesSettings.Connection settings, CredentialHandle credentials) {
    ClusterConnection connection = new ClusterConnection(instanceName, settings, credentials);
    connection.current.set(connection.build());
    for (String reference : settings.references()) {
      credentials.onRotation(reference, rotated -> connection.rebuild(rotated.reference()));
    }
    return connection;
  }

  /** The client to use for the next call; never cache it across calls. */
  KubernetesClient client() {
    KubernetesClient client = current.get();
    if (closed || client == null) {
      throw new ProviderException(
          ErrorCode.INTERNAL, "provider instance '" + instanceName + "' is closed");
    }
    return client;
  }

  /** Called with the new client after each rebuild, e.g. to move a watch over to it. */
  void onRebuild(Consumer<KubernetesClient> listener) {
    rebuildListeners.add(listener);
  }

  private void rebuild(String reference) {
    if (closed) {
      // The handle offers no way to unsubscribe; a closed instance just ignores rotations.
      return;
    }
    KubernetesClient fresh;
    try {
      fresh = build();
    } catch (ProviderException e) {
      // Keep the last good client: it may still work until its token expires.
      LOG.log(
          Level.WARNING,
          "provider instance '"
              + instanceName
              + "': credential '"
              + reference
              + "' rotated but the new value is unusable; still using the previous client",
          e);
      return;
    }
    KubernetesClient previous = current.getAndSet(fresh);
    LOG.info("provider instance '" + instanceName + "': credential '" + reference + "' rotated");
    rebuildListeners.forEach(listener -> listener.accept(fresh));
    if (previous != null) {
      previous.close();
    }
  }

  private KubernetesClient build() {
    Config config = config();
    try {
      // The factory is named, not discovered: discovery may look at the host's class loader.
      return new KubernetesClientBuilder()
          .withConfig(config)
          .withHttpClientFactory(new OkHttpClientFactory())
          .build();
    } catch (KubernetesClientException e) {
      throw KubernetesErrors.translate(instanceName, "building the client", e);
    }
  }

  private Config config() {
    Config base;
    if (settings.inCluster()) {
      // The pod's service account; the client re-reads the projected token file as it rotates.
      base = Config.autoConfigure(null);
    } else if (settings.kubeconfigCredential().isPresent()) {
      base = kubeconfig(fetch(settings.kubeconfigCredential().get()));
    } else {
      ConfigBuilder builder =
          new ConfigBuilder(Config.empty()).withMasterUrl(settings.apiUrl().orElseThrow());
      settings.tokenCredential().ifPresent(ref -> builder.withOauthToken(fetch(ref).value()));
      settings
          .clientCertCredential()
          .ifPresent(
              ref -> {
                Credential cert = fetch(ref);
                builder
                    .withClientCertData(base64(cert.field("cert")))
                    .withClientKeyData(base64(cert.field("key")));
                if (cert.values().containsKey("ca")) {
                  builder.withCaCertData(base64(cert.field("ca")));
                }
              });
      base = builder.build();
    }
    ConfigBuilder builder = new ConfigBuilder(base);
    settings.caCredential().ifPresent(ref -> builder.withCaCertData(base64(fetch(ref).value())));
    if (settings.insecureSkipTlsVerify()) {
      builder.withTrustCerts(true).withDisableHostnameVerification(true);
    }
    int timeoutMillis = (int) settings.requestTimeout().toMillis();
    return builder
        .withRequestTimeout(timeoutMillis)
        .withConnectionTimeout(timeoutMillis)
        // A call must end within the host's call timeout: retry server errors briefly only.
        .withRequestRetryBackoffLimit(2)
        .withRequestRetryBackoffInterval(200)
        .build();
  }

  private Config kubeconfig(Credential credential) {
    try {
      return Config.fromKubeconfig(credential.value());
    } catch (KubernetesClientException | IllegalArgumentException e) {
      throw new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "provider instance '"
              + instanceName
              + "': credential '"
              + credential.reference()
              + "' is not a readable kubeconfig: "
              + e.getMessage(),
          e);
    }
  }

  private Credential fetch(String reference) {
    return credentials.get(reference);
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    closed = true;
    KubernetesClient client = current.getAndSet(null);
    if (client != null) {
      client.close();
    }
  }
}
