package io.hodei.plugins.ecs;

import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.EcsClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The ECS client of one provider instance and the credentials behind it. The client is rebuilt when
 * the referenced credential rotates, and once more, with a fresh fetch, when AWS refuses the
 * credentials it holds; every call goes through {@link #call}.
 */
final class AwsConnection implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(AwsConnection.class.getName());

  /** One generation of clients; closed together when replaced. */
  private record Clients(EcsClient ecs, List<AutoCloseable> owned) {}

  private final String instanceName;
  private final EcsSettings.Aws settings;
  private final CredentialHandle credentials;
  private final AtomicReference<Clients> current = new AtomicReference<>();
  private volatile boolean closed;

  private AwsConnection(String instanceName, EcsSettings.Aws settings, CredentialHandle handle) {
    this.instanceName = instanceName;
    this.settings = settings;
    this.credentials = handle;
  }

  static AwsConnection open(
      String instanceName, EcsSettings.Aws settings, CredentialHandle credentials) {
    AwsConnection connection = new AwsConnection(instanceName, settings, credentials);
    connection.current.set(
        connection.build(settings.credentials().map(credentials::get).orElse(null)));
    settings
        .credentials()
        .ifPresent(ref -> credentials.onRotation(ref, rotated -> connection.rotated(rotated)));
    return connection;
  }

  /**
   * Runs one ECS call (the SDK retries throttling, server errors and I/O failures with backoff).
   * When AWS refuses the credentials, fetches the referenced credential once more, rebuilds the
   * client and tries again once: a rotation the host has not announced yet must not fail work.
   */
  <T> T call(String action, Function<EcsClient, T> call) {
    Clients used = clients();
    try {
      return call.apply(used.ecs());
    } catch (SdkException first) {
      if (!EcsErrors.isAuthentication(first) || settings.credentials().isEmpty()) {
        throw EcsErrors.translate(instanceName, action, first);
      }
      String reference = settings.credentials().get();
      LOG.info(
          "provider instance '"
              + instanceName
              + "': AWS refused the credentials; fetching '"
              + reference
              + "' again");
      Clients fresh = refetch(used, reference);
      try {
        return call.apply(fresh.ecs());
      } catch (SdkException second) {
        ProviderException translated = EcsErrors.translate(instanceName, action, second);
        if (translated.code() != ErrorCode.AUTHENTICATION) {
          throw translated;
        }
        throw new ProviderException(
            ErrorCode.AUTHENTICATION,
            translated.getMessage() + " (also after fetching '" + reference + "' again)",
            second);
      }
    }
  }

  private synchronized Clients refetch(Clients failed, String reference) {
    Clients now = clients();
    if (now != failed) {
      // Another call (or a rotation) replaced the client meanwhile: use that one.
      return now;
    }
    Clients fresh = build(credentials.get(reference));
    swap(fresh);
    return fresh;
  }

  private void rotated(Credential credential) {
    if (closed) {
      // The handle offers no way to unsubscribe; a closed instance just ignores rotations.
      return;
    }
    Clients fresh;
    try {
      fresh = build(credential);
    } catch (ProviderException e) {
      // Keep the last good client: its keys may still work for a while.
      LOG.log(
          Level.WARNING,
          "provider instance '"
              + instanceName
              + "': credential '"
              + credential.reference()
              + "' rotated but the new value is unusable; still using the previous client",
          e);
      return;
    }
    synchronized (this) {
      swap(fresh);
    }
    LOG.info(
        "provider instance '"
            + instanceName
            + "': credential '"
            + credential.reference()
            + "' rotated; client rebuilt");
  }

  private void swap(Clients fresh) {
    Clients previous = current.getAndSet(fresh);
    if (closed) {
      closeAll(current.getAndSet(null));
    }
    closeAll(previous);
  }

  private Clients clients() {
    Clients clients = current.get();
    if (closed || clients == null) {
      throw new ProviderException(
          ErrorCode.INTERNAL, "provider instance '" + instanceName + "' is closed");
    }
    return clients;
  }

  /** Builds the clients from {@code credential}, or from the default chain when it is null. */
  private Clients build(Credential credential) {
    List<AutoCloseable> owned = new ArrayList<>();
    // The SDK looks up interceptors and defaults through the context class loader; inside the
    // server that would be the host's, which holds no SDK.
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(AwsConnection.class.getClassLoader());
    try {
      SdkHttpClient http =
          UrlConnectionHttpClient.builder()
              .connectionTimeout(settings.requestTimeout())
              .socketTimeout(settings.requestTimeout())
              .build();
      owned.add(http);
      AwsCredentialsProvider base;
      if (credential != null) {
        base = StaticCredentialsProvider.create(AwsCredentialsReader.read(credential));
      } else {
        DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
        owned.add(chain);
        base = chain;
      }
      AwsCredentialsProvider provider = base;
      if (settings.assumeRoleArn().isPresent()) {
        StsClientBuilder sts =
            StsClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(base)
                .httpClient(http)
                .overrideConfiguration(this::configure);
        settings.stsEndpoint().ifPresent(sts::endpointOverride);
        StsClient stsClient = sts.build();
        owned.add(0, stsClient);
        StsAssumeRoleCredentialsProvider assumed =
            StsAssumeRoleCredentialsProvider.builder()
                .stsClient(stsClient)
                .refreshRequest(
                    r -> {
                      r.roleArn(settings.assumeRoleArn().get())
                          .roleSessionName(settings.roleSessionName());
                      settings.externalId().ifPresent(r::externalId);
                    })
                .build();
        owned.add(0, assumed);
        provider = assumed;
      }
      EcsClientBuilder ecs =
          EcsClient.builder()
              .region(Region.of(settings.region()))
              .credentialsProvider(provider)
              .httpClient(http)
              .overrideConfiguration(this::configure);
      settings.endpoint().ifPresent(ecs::endpointOverride);
      EcsClient client = ecs.build();
      owned.add(0, client);
      return new Clients(client, owned);
    } catch (SdkException | IllegalArgumentException e) {
      closeAll(new Clients(null, owned));
      throw new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "provider instance '"
              + instanceName
              + "': cannot build the ECS client: "
              + e.getMessage(),
          e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /**
   * Retries with exponential backoff and full jitter: throttling from a longer base delay, server
   * errors and I/O failures from a short one; every call ends within {@code callTimeout}.
   */
  private void configure(ClientOverrideConfiguration.Builder config) {
    config.retryStrategy(retryStrategy(settings)).apiCallTimeout(settings.callTimeout());
  }

  static RetryStrategy retryStrategy(EcsSettings.Aws settings) {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(settings.maxAttempts())
        .backoffStrategy(
            BackoffStrategy.exponentialDelay(settings.retryBaseDelay(), settings.maxBackoff()))
        .throttlingBackoffStrategy(
            BackoffStrategy.exponentialDelay(settings.throttlingBaseDelay(), settings.maxBackoff()))
        .build();
  }

  private static void closeAll(Clients clients) {
    if (clients == null) {
      return;
    }
    for (AutoCloseable resource : clients.owned()) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing an AWS client failed", e);
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeAll(current.getAndSet(null));
  }
}
