package io.hodei.plugins.aci;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.AddDatePolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.resourcemanager.containerinstance.fluent.ContainerInstanceManagementClient;
import com.azure.resourcemanager.containerinstance.implementation.ContainerInstanceManagementClientBuilder;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugins.support.Daemons;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Resource Manager client of one provider instance, rebuilt with a fresh authentication policy
 * whenever its credential rotates (and once after Resource Manager refuses it), so the next call
 * carries the new credential without a restart.
 *
 * <p>The client is built from the generated {@code ContainerInstanceManagementClientBuilder} rather
 * than {@code ContainerInstanceManager}: the manager also builds storage, network and authorization
 * managers this plugin never uses, and offers no way to set the poll interval used when Resource
 * Manager sends no {@code Retry-After}.
 */
final class ArmConnection implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ArmConnection.class.getName());

  private final String instanceName;
  private final AciSettings.Connection settings;
  private final CredentialHandle credentials;
  private final ArmAuthentication authentication;
  private final String userAgent;
  private final ExecutorService httpExecutor;
  private final AtomicReference<HttpClient> httpClient = new AtomicReference<>();
  private final AtomicReference<Built> current = new AtomicReference<>();
  private volatile boolean closed;

  /** A client and the version of the credential it was built from. */
  private record Built(ContainerInstanceManagementClient client, String credentialVersion) {}

  private ArmConnection(
      String instanceName,
      AciSettings.Connection settings,
      CredentialHandle credentials,
      ArmAuthentication authentication,
      String userAgent) {
    this.instanceName = instanceName;
    this.settings = settings;
    this.credentials = credentials;
    this.authentication = authentication;
    this.userAgent = userAgent;
    AtomicInteger count = new AtomicInteger();
    this.httpExecutor =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread =
                  new Thread(
                      runnable, "hodei-aci-" + instanceName + "-http-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.httpClient.set(
        new JdkHttpClientBuilder()
            .executor(httpExecutor)
            .connectionTimeout(settings.connectTimeout())
            .responseTimeout(settings.requestTimeout())
            .readTimeout(settings.requestTimeout())
            .build());
  }

  static ArmConnection open(
      String instanceName,
      AciSettings.Connection settings,
      CredentialHandle credentials,
      ArmAuthentication authentication,
      String userAgent) {
    ArmConnection connection =
        new ArmConnection(instanceName, settings, credentials, authentication, userAgent);
    try {
      connection.current.set(connection.build(connection.fetch()));
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
    settings
        .credentials()
        .ifPresent(
            reference -> credentials.onRotation(reference, rotated -> connection.rotated(rotated)));
    return connection;
  }

  /** The client to use for the next call; never cache it across calls. */
  ContainerInstanceManagementClient client() {
    Built built = current.get();
    if (closed || built == null) {
      throw new ProviderException(
          ErrorCode.INTERNAL, "provider instance '" + instanceName + "' is closed");
    }
    return built.client();
  }

  /**
   * Fetches the credential again after Resource Manager refused it and rebuilds the client.
   *
   * @return whether the retry may help: a new credential version, or a managed identity whose
   *     cached token is dropped by the rebuild
   */
  boolean refreshAfterRejection() {
    Built before = current.get();
    Optional<Credential> fresh = fetch();
    String version = fresh.map(Credential::version).orElse("");
    if (fresh.isPresent() && before != null && version.equals(before.credentialVersion())) {
      return false;
    }
    replace(build(fresh));
    return true;
  }

  private void rotated(Credential rotated) {
    if (closed) {
      // The handle offers no way to unsubscribe; a closed instance just ignores rotations.
      return;
    }
    try {
      replace(build(Optional.of(rotated)));
      LOG.info(
          "provider instance '"
              + instanceName
              + "': credential '"
              + rotated.reference()
              + "' rotated; Resource Manager calls use the new value");
    } catch (ProviderException e) {
      // Keep the last good client: it may still work until its token expires.
      LOG.log(
          Level.WARNING,
          "provider instance '"
              + instanceName
              + "': credential '"
              + rotated.reference()
              + "' rotated but the new value is unusable; still using the previous one",
          e);
    }
  }

  private void replace(Built fresh) {
    if (!closed) {
      current.set(fresh);
    }
  }

  private Optional<Credential> fetch() {
    return settings.credentials().map(credentials::get);
  }

  private Built build(Optional<Credential> credential) {
    HttpClient http = httpClient.get();
    if (http == null) {
      throw new ProviderException(
          ErrorCode.INTERNAL, "provider instance '" + instanceName + "' is closed");
    }
    HttpPipelinePolicy authorization = authentication.policy(settings, credential, http);
    HttpPipeline pipeline =
        new HttpPipelineBuilder()
            .httpClient(http)
            .policies(
                new UserAgentPolicy(userAgent),
                new RequestIdPolicy(),
                // Before authorization, so that every retry is authorized afresh.
                new RetryPolicy(
                    new JitteredBackoff(
                        settings.maxRetries(),
                        settings.retryBaseDelay(),
                        settings.retryMaxDelay())),
                new AddDatePolicy(),
                authorization)
            .build();
    ContainerInstanceManagementClient client =
        new ContainerInstanceManagementClientBuilder()
            .pipeline(pipeline)
            .endpoint(trimSlash(settings.resourceManagerEndpoint().toString()))
            .environment(settings.cloud().environmentWith(settings.resourceManagerEndpoint()))
            .subscriptionId(settings.subscriptionId())
            .defaultPollInterval(settings.pollInterval())
            .buildClient();
    return new Built(client, credential.map(Credential::version).orElse(""));
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public void close() {
    closed = true;
    current.set(null);
    // The JDK client cannot be closed on Java 17; its selector thread ends once unreachable.
    httpClient.set(null);
    Daemons.stop(httpExecutor);
  }
}
