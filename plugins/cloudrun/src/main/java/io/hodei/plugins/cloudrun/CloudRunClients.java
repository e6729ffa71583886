package io.hodei.plugins.cloudrun;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.FixedExecutorProvider;
import com.google.api.gax.longrunning.OperationSnapshot;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ExecutionsSettings;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Cloud Run clients of one provider instance, over HTTP/JSON, rebuilt from fresh credentials
 * when the referenced key rotates, and once more when Cloud Run refuses the key in use, so the next
 * call carries the new key without a restart.
 */
final class CloudRunClients implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(CloudRunClients.class.getName());
  private static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  /** The two clients a provider uses, built from the same credentials. */
  record Clients(JobsClient jobs, ExecutionsClient executions, String identity) {}

  /** One call against the clients; may throw whatever the client throws. */
  @FunctionalInterface
  interface ApiCall<T> {
    T apply(Clients clients) throws Exception;
  }

  private final CloudRunSettings settings;
  private final CredentialHandle credentials;
  private final ScheduledExecutorService executor;
  private final AtomicReference<Clients> current = new AtomicReference<>();
  private volatile boolean closed;

  private CloudRunClients(CloudRunSettings settings, CredentialHandle credentials) {
    this.settings = settings;
    this.credentials = credentials;
    AtomicInteger threads = new AtomicInteger();
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            2,
            runnable -> {
              Thread thread =
                  new Thread(
                      runnable,
                      "hodei-cloudrun-"
                          + settings.instanceName()
                          + "-"
                          + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.setRemoveOnCancelPolicy(true);
    this.executor = pool;
  }

  static CloudRunClients open(CloudRunSettings settings, CredentialHandle credentials) {
    CloudRunClients clients = new CloudRunClients(settings, credentials);
    try {
      clients.current.set(clients.build());
    } catch (RuntimeException e) {
      clients.executor.shutdownNow();
      throw e;
    }
    settings
        .credentials()
        .ifPresent(
            reference ->
                credentials.onRotation(
                    reference,
                    rotated -> clients.rebuild("credential '" + reference + "' rotated")));
    return clients;
  }

  /**
   * Runs {@code call}; when Cloud Run refuses the credentials, fetches them from the broker once
   * more, rebuilds the clients and tries again, then reports {@code AUTHENTICATION}.
   */
  <T> T call(String action, ApiCall<T> call) {
    Clients clients = clients();
    try {
      return call.apply(clients);
    } catch (Exception first) {
      if (!CloudRunErrors.isAuthentication(first) || settings.credentials().isEmpty()) {
        throw CloudRunErrors.translate(settings.instanceName(), action, first);
      }
      String reference = settings.credentials().get();
      LOG.info(
          "provider instance '"
              + settings.instanceName()
              + "': Cloud Run refused the credentials of "
              + clients.identity()
              + "; fetching credential '"
              + reference
              + "' again");
      Clients fresh = replace(clients);
      try {
        return call.apply(fresh);
      } catch (Exception again) {
        if (CloudRunErrors.isAuthentication(again)) {
          throw new ProviderException(
              ErrorCode.AUTHENTICATION,
              "provider instance '"
                  + settings.instanceName()
                  + "' while "
                  + action
                  + ": Google Cloud refused the credentials of "
                  + fresh.identity()
                  + ", also after fetching credential '"
                  + reference
                  + "' again; put a current, enabled service-account key into that secret",
              again);
        }
        throw CloudRunErrors.translate(settings.instanceName(), action, again);
      }
    }
  }

  /** The clients for the next call; never cache them across calls. */
  Clients clients() {
    Clients clients = current.get();
    if (closed || clients == null) {
      throw new ProviderException(
          ErrorCode.INTERNAL, "provider instance '" + settings.instanceName() + "' is closed");
    }
    return clients;
  }

  private synchronized Clients replace(Clients stale) {
    Clients now = current.get();
    if (now != stale && now != null) {
      // Another thread already rebuilt them, e.g. on a rotation.
      return now;
    }
    Clients fresh = build();
    swap(fresh);
    return fresh;
  }

  private synchronized void rebuild(String why) {
    if (closed) {
      // The handle offers no way to unsubscribe; a closed instance just ignores rotations.
      return;
    }
    Clients fresh;
    try {
      fresh = build();
    } catch (ProviderException e) {
      // Keep the last good clients: their key may still work until it is disabled.
      LOG.log(
          Level.WARNING,
          "provider instance '"
              + settings.instanceName()
              + "': "
              + why
              + " but the new value is unusable; still using the previous key",
          e);
      return;
    }
    swap(fresh);
    LOG.info(
        "provider instance '"
            + settings.instanceName()
            + "': "
            + why
            + "; now "
            + fresh.identity());
  }

  private void swap(Clients fresh) {
    Clients previous = current.getAndSet(fresh);
    if (closed) {
      shutdown(fresh);
    }
    if (previous != null) {
      shutdown(previous);
    }
  }

  private Clients build() {
    GoogleCredentials googleCredentials = googleCredentials();
    String identity =
        googleCredentials instanceof ServiceAccountCredentials account
            ? "service account " + account.getClientEmail()
            : "the application default credentials";
    FixedCredentialsProvider credentialsProvider =
        FixedCredentialsProvider.create(googleCredentials);
    FixedExecutorProvider executorProvider = FixedExecutorProvider.create(executor);
    var retries = ClientRetries.calls(settings.retry());
    var polling =
        ClientRetries.polling(settings.operationPollInterval(), settings.operationTimeout());
    try {
      JobsSettings.Builder jobs = JobsSettings.newHttpJsonBuilder();
      jobs.setCredentialsProvider(credentialsProvider)
          .setBackgroundExecutorProvider(executorProvider);
      settings.endpoint().ifPresent(jobs::setEndpoint);
      jobs.getJobSettings().setRetryableCodes(ClientRetries.IDEMPOTENT).setRetrySettings(retries);
      jobs.listJobsSettings().setRetryableCodes(ClientRetries.IDEMPOTENT).setRetrySettings(retries);
      // The job id is fixed: a repeated create answers 409, which provision handles.
      jobs.createJobSettings()
          .setRetryableCodes(ClientRetries.IDEMPOTENT)
          .setRetrySettings(retries);
      jobs.runJobSettings().setRetryableCodes(ClientRetries.RUN).setRetrySettings(retries);
      // The *Async methods send their first request with the operation's own call settings.
      jobs.createJobOperationSettings()
          .setInitialCallSettings(initialCall(ClientRetries.IDEMPOTENT, retries))
          .setPollingAlgorithm(polling);

      ExecutionsSettings.Builder executions = ExecutionsSettings.newHttpJsonBuilder();
      executions
          .setCredentialsProvider(credentialsProvider)
          .setBackgroundExecutorProvider(executorProvider);
      settings.endpoint().ifPresent(executions::setEndpoint);
      executions
          .getExecutionSettings()
          .setRetryableCodes(ClientRetries.IDEMPOTENT)
          .setRetrySettings(retries);
      executions
          .listExecutionsSettings()
          .setRetryableCodes(ClientRetries.IDEMPOTENT)
          .setRetrySettings(retries);
      executions
          .cancelExecutionSettings()
          .setRetryableCodes(ClientRetries.IDEMPOTENT)
          .setRetrySettings(retries);
      executions
          .deleteExecutionSettings()
          .setRetryableCodes(ClientRetries.IDEMPOTENT)
          .setRetrySettings(retries);
      executions
          .cancelExecutionOperationSettings()
          .setInitialCallSettings(initialCall(ClientRetries.IDEMPOTENT, retries))
          .setPollingAlgorithm(polling);
      executions
          .deleteExecutionOperationSettings()
          .setInitialCallSettings(initialCall(ClientRetries.IDEMPOTENT, retries))
          .setPollingAlgorithm(polling);

      JobsClient jobsClient = JobsClient.create(jobs.build());
      try {
        return new Clients(jobsClient, ExecutionsClient.create(executions.build()), identity);
      } catch (IOException | RuntimeException e) {
        jobsClient.shutdownNow();
        throw e;
      }
    } catch (IOException e) {
      throw new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "provider instance '"
              + settings.instanceName()
              + "': cannot build the Cloud Run client: "
              + e.getMessage(),
          e);
    }
  }

  private static <R> UnaryCallSettings<R, OperationSnapshot> initialCall(
      java.util.Set<StatusCode.Code> codes, RetrySettings retries) {
    return UnaryCallSettings.<R, OperationSnapshot>newUnaryCallSettingsBuilder()
        .setRetryableCodes(codes)
        .setRetrySettings(retries)
        .build();
  }

  private GoogleCredentials googleCredentials() {
    if (settings.workloadIdentity()) {
      try {
        return GoogleCredentials.getApplicationDefault().createScoped(List.of(CLOUD_PLATFORM));
      } catch (IOException e) {
        throw new ProviderException(
            ErrorCode.INVALID_CONFIGURATION,
            "provider instance '"
                + settings.instanceName()
                + "': workloadIdentity=true but the server has no application default"
                + " credentials (GKE workload identity, the metadata server of a Google Cloud"
                + " machine, or GOOGLE_APPLICATION_CREDENTIALS)",
            e);
      }
    }
    String reference = settings.credentials().orElseThrow();
    Credential credential = credentials.get(reference);
    String json =
        credential.values().containsKey("json") ? credential.field("json") : credential.value();
    try {
      return ServiceAccountCredentials.fromStream(
              new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
          .createScoped(List.of(CLOUD_PLATFORM));
    } catch (IOException | RuntimeException e) {
      // Never the content: it is a private key.
      throw new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "provider instance '"
              + settings.instanceName()
              + "': credential '"
              + reference
              + "' (version "
              + credential.version()
              + ") is not a service-account key JSON (field 'json' or 'value'): "
              + e.getClass().getSimpleName());
    }
  }

  private static void shutdown(Clients clients) {
    clients.jobs().close();
    clients.executions().close();
  }

  @Override
  public synchronized void close() {
    closed = true;
    Clients clients = current.getAndSet(null);
    if (clients != null) {
      shutdown(clients);
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
