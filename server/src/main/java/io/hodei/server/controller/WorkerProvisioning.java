package io.hodei.server.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hodei.core.jobs.FailureKind;
import io.hodei.core.jobs.JobSpec;
import io.hodei.core.jobs.JobState;
import io.hodei.core.workers.WorkerState;
import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.server.jobs.JobEntity;
import io.hodei.server.jobs.JobTransitions;
import io.hodei.server.persistence.Db;
import io.hodei.server.plugins.ManagedProvider;
import io.hodei.server.providers.Installation;
import io.hodei.server.providers.ProviderInstances;
import io.hodei.server.workers.WorkerEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Asks providers to start the workers that placement recorded, and records what they answer: the
 * resource id on success; on failure the worker FAILED and the job's attempt ended as an
 * infrastructure failure (retried when the provider says a retry can help).
 */
@ApplicationScoped
public class WorkerProvisioning {

  private static final Logger LOG = Logger.getLogger(WorkerProvisioning.class);

  private final ProviderInstances providers;
  private final Installation installation;
  private final WorkerAddress address;
  private final Db db;
  private final JobTransitions transitions;
  private final ObjectMapper json;
  private final Event<WakeUp> wakeUp;
  private final Clock clock;

  public WorkerProvisioning(
      ProviderInstances providers,
      Installation installation,
      WorkerAddress address,
      Db db,
      JobTransitions transitions,
      ObjectMapper json,
      Event<WakeUp> wakeUp,
      Clock clock) {
    this.providers = providers;
    this.installation = installation;
    this.address = address;
    this.db = db;
    this.transitions = transitions;
    this.json = json;
    this.wakeUp = wakeUp;
    this.clock = clock;
  }

  /** Starts the call; its outcome is persisted when it comes. */
  void start(JobPlacement.NewWorker worker) {
    Optional<ManagedProvider> provider = providers.get(worker.providerInstance());
    Uni<WorkerHandle> call =
        provider.isEmpty()
            ? Uni.createFrom()
                .failure(
                    new ProviderException(
                        ProviderException.ErrorCode.UNAVAILABLE,
                        "provider instance " + worker.providerInstance() + " is not open"))
            : Uni.createFrom().completionStage(() -> provider.get().provision(specOf(worker)));
    call.onItem()
        .transformToUni(handle -> db.tx(session -> recordHandle(session, worker, handle)))
        .onFailure()
        .recoverWithUni(failure -> db.tx(session -> recordFailure(session, worker, failure)))
        .subscribe()
        .with(
            ignored -> {},
            failure ->
                LOG.errorf(
                    failure, "Could not record the outcome for worker %s", worker.workerId()));
  }

  /** The backend may kill the worker after this long, whatever happens to the control plane. */
  static Duration lifetimeOf(JobSpec job) {
    return job.timeout().plus(Duration.ofMinutes(15));
  }

  /**
   * What makes a worker fit a job: its image and resources. Two jobs of the same shape can share a
   * worker; anything else a job needs travels with the job, not with the worker.
   */
  static String shapeOf(JobSpec job) {
    var r = job.resources();
    return "image="
        + job.image().orElse("")
        + ";cpuMillis="
        + r.cpuMillis()
        + ";memoryMib="
        + r.memoryMib()
        + ";gpus="
        + r.gpus()
        + ";diskMib="
        + r.diskMib();
  }

  WorkerSpec specOf(JobPlacement.NewWorker worker) {
    JobSpec job = worker.spec();
    String id = worker.workerId().toString();
    Map<String, String> env =
        Map.of(
            PluginApi.ENV_BOOTSTRAP_TOKEN, worker.bootstrapToken(),
            PluginApi.ENV_SERVER_ADDRESS, address.get(),
            PluginApi.ENV_WORKER_ID, id);
    Map<String, String> labels =
        Map.of(
            PluginApi.LABEL_MANAGED,
            "true",
            PluginApi.LABEL_INSTALLATION,
            installation.id(),
            PluginApi.LABEL_WORKER,
            id,
            PluginApi.LABEL_PROVIDER_INSTANCE,
            worker.providerInstance());
    return new WorkerSpec(id, job.image(), job.resources(), env, labels, lifetimeOf(job));
  }

  private Uni<Void> recordHandle(
      Mutiny.Session session, JobPlacement.NewWorker worker, WorkerHandle handle) {
    return session
        .find(WorkerEntity.class, worker.workerId(), LockModeType.PESSIMISTIC_WRITE)
        .invoke(
            entity -> {
              entity.resourceId = handle.resourceId();
              entity.handleAttributes = toJson(handle.attributes());
              entity.updatedAt = clock.instant();
              if (entity.state.isFinal() && entity.releasedAt != null) {
                // Given up while the call was in flight: it exists after all, so free it.
                entity.releasedAt = null;
                wakeUp.fire(new WakeUp("late worker " + entity.id));
              }
            })
        .replaceWithVoid();
  }

  private Uni<Void> recordFailure(
      Mutiny.Session session, JobPlacement.NewWorker worker, Throwable failure) {
    ProviderException error = asProviderException(failure);
    Instant now = clock.instant();
    String reason =
        "provisioning on " + worker.providerInstance() + " failed: " + error.getMessage();
    LOG.warnf("Worker %s: %s (%s)", worker.workerId(), reason, error.code());
    return session
        .find(WorkerEntity.class, worker.workerId(), LockModeType.PESSIMISTIC_WRITE)
        .chain(entity -> failAttempt(session, entity, reason, error.retryable(), now))
        .invoke(() -> wakeUp.fire(new WakeUp("provisioning failed")));
  }

  /**
   * Fails a PROVISIONING worker whose provider does not have it, and ends its job's attempt as an
   * infrastructure failure: retried when {@code retryable} and the job's policy allow. The caller
   * holds the worker's row lock.
   */
  Uni<Void> failAttempt(
      Mutiny.Session session, WorkerEntity entity, String reason, boolean retryable, Instant now) {
    if (entity.state == WorkerState.PROVISIONING) {
      entity.moveTo(WorkerState.FAILED, reason, now);
      // Nothing is known to exist; the orphan sweep catches anything that does.
      entity.releasedAt = now;
    }
    if (entity.jobId == null) {
      return Uni.createFrom().voidItem();
    }
    return session
        .find(JobEntity.class, entity.jobId, LockModeType.PESSIMISTIC_WRITE)
        .chain(
            job -> {
              if (job == null
                  || job.state != JobState.PROVISIONING
                  || !entity.id.equals(job.workerId)) {
                return Uni.createFrom().voidItem();
              }
              job.failureKind = FailureKind.INFRASTRUCTURE.name();
              if (!retryable) {
                return transitions.move(session, job, JobState.FAILED, reason, now);
              }
              return transitions.failAttempt(
                  session, job, FailureKind.INFRASTRUCTURE, JobState.FAILED, reason, null, now);
            });
  }

  /** Records what a provider's list says of a worker whose provision answer was never recorded. */
  void adopt(WorkerEntity entity, WorkerHandle handle, Instant now) {
    entity.resourceId = handle.resourceId();
    entity.handleAttributes = toJson(handle.attributes());
    entity.updatedAt = now;
  }

  static ProviderException asProviderException(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ProviderException providerException) {
      return providerException;
    }
    return new ProviderException(
        ProviderException.ErrorCode.INTERNAL, String.valueOf(cause), cause);
  }

  private String toJson(Map<String, String> attributes) {
    try {
      return json.writeValueAsString(new TreeMap<>(attributes));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write handle attributes", e);
    }
  }
}
