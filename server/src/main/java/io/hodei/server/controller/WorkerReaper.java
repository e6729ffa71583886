package io.hodei.server.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hodei.core.jobs.FailureKind;
import io.hodei.core.jobs.JobState;
import io.hodei.core.jobs.WorkerChannel;
import io.hodei.core.workers.WorkerState;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.server.jobs.JobEntity;
import io.hodei.server.jobs.JobTransitions;
import io.hodei.server.persistence.Db;
import io.hodei.server.plugins.ManagedProvider;
import io.hodei.server.providers.ProviderInstances;
import io.hodei.server.providers.ProviderInstances.ProviderWorkerEvent;
import io.hodei.server.workers.WorkerEntity;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Frees what workers hold. Every worker that ended (TERMINATING, LOST, FAILED) is terminated
 * through its provider until the provider confirms; workers that providers report gone are given
 * up; and workers a provider holds that the registry does not know (orphans of a crash) are
 * terminated.
 */
@ApplicationScoped
public class WorkerReaper {

  private static final Logger LOG = Logger.getLogger(WorkerReaper.class);

  private final Db db;
  private final ProviderInstances providers;
  private final WorkerChannel channel;
  private final JobTransitions transitions;
  private final ObjectMapper json;
  private final Event<WakeUp> wakeUp;
  private final Clock clock;

  /** Terminations in flight from this server, so slow ones are not started twice. */
  private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();

  public WorkerReaper(
      Db db,
      ProviderInstances providers,
      WorkerChannel channel,
      JobTransitions transitions,
      ObjectMapper json,
      Event<WakeUp> wakeUp,
      Clock clock) {
    this.db = db;
    this.providers = providers;
    this.channel = channel;
    this.transitions = transitions;
    this.json = json;
    this.wakeUp = wakeUp;
    this.clock = clock;
  }

  /** Starts termination of every ended, unreleased worker; does not wait for providers. */
  public Uni<Void> release() {
    Instant now = clock.instant();
    return db.tx(
            session ->
                session
                    .createNativeQuery(
                        // TERMINATED too: a provision answer can arrive after the worker ended.
                        "select * from workers where released_at is null and state in"
                            + " ('TERMINATING', 'TERMINATED', 'LOST', 'FAILED')"
                            + " limit 100 for update skip locked",
                        WorkerEntity.class)
                    .getResultList()
                    .map(
                        workers ->
                            workers.stream()
                                .filter(worker -> !inFlight.contains(worker.id))
                                .filter(worker -> releasedWithoutProvider(worker, now))
                                .toList()))
        .invoke(workers -> workers.forEach(this::terminate))
        .replaceWithVoid();
  }

  /**
   * Marks a worker with no backend resource as released; returns true when the provider must act.
   */
  private static boolean releasedWithoutProvider(WorkerEntity worker, Instant now) {
    if (worker.resourceId != null) {
      return true;
    }
    if (worker.state == WorkerState.TERMINATING) {
      worker.moveTo(WorkerState.TERMINATED, "nothing to free", now);
    }
    worker.releasedAt = now;
    return false;
  }

  private void terminate(WorkerEntity worker) {
    Optional<ManagedProvider> provider = providers.get(worker.providerInstance);
    if (provider.isEmpty()) {
      return;
    }
    inFlight.add(worker.id);
    String workerId = worker.id.toString();
    channel.shutdown(workerId, worker.stateReason);
    WorkerHandle handle = new WorkerHandle(workerId, worker.resourceId, attributes(worker));
    Uni.createFrom()
        .completionStage(() -> provider.get().terminate(handle, reasonFor(worker)))
        .chain(() -> db.tx(session -> markReleased(session, worker.id)))
        .subscribe()
        .with(
            ignored -> inFlight.remove(worker.id),
            failure -> {
              inFlight.remove(worker.id);
              LOG.warnf(
                  "Terminating worker %s on %s failed, retrying later: %s",
                  workerId, worker.providerInstance, failure.getMessage());
            });
  }

  private Uni<Void> markReleased(Mutiny.Session session, UUID workerId) {
    Instant now = clock.instant();
    return session
        .find(WorkerEntity.class, workerId, LockModeType.PESSIMISTIC_WRITE)
        .invoke(
            worker -> {
              worker.releasedAt = now;
              if (worker.state == WorkerState.TERMINATING) {
                worker.moveTo(WorkerState.TERMINATED, "terminated by its provider", now);
              }
            })
        .replaceWithVoid();
  }

  /** Compares each provider's own list with the registry and terminates what nobody owns. */
  @Scheduled(
      every = "${hodei.controller.orphan-sweep-interval:60s}",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public Uni<Void> sweepOrphans() {
    List<Uni<Void>> sweeps =
        providers.all().entrySet().stream().map(e -> sweep(e.getKey(), e.getValue())).toList();
    return sweeps.isEmpty()
        ? Uni.createFrom().voidItem()
        : Uni.join()
            .all(sweeps)
            .andCollectFailures()
            .replaceWithVoid()
            .onFailure()
            .recoverWithNull();
  }

  private Uni<Void> sweep(String instance, ManagedProvider provider) {
    return Uni.createFrom()
        .completionStage(provider::list)
        .chain(
            handles ->
                db.tx(
                        session ->
                            session
                                .createSelectionQuery(
                                    "select cast(id as String) from WorkerEntity where"
                                        + " releasedAt is null and providerInstance = :instance",
                                    String.class)
                                .setParameter("instance", instance)
                                .getResultList())
                    .map(
                        live ->
                            handles.stream()
                                .filter(handle -> !live.contains(handle.workerId()))
                                .toList()))
        .invoke(
            orphans ->
                orphans.forEach(
                    orphan -> {
                      LOG.infof(
                          "Terminating orphan worker %s (%s) on %s",
                          orphan.workerId(), orphan.resourceId(), instance);
                      provider
                          .terminate(
                              orphan,
                              new TerminationReason(
                                  TerminationReason.Cause.ORPHANED, "not in the worker registry"))
                          .whenComplete(
                              (ignored, failure) -> {
                                if (failure != null) {
                                  LOG.warnf(
                                      "Terminating orphan %s on %s failed, retrying at the next"
                                          + " sweep: %s",
                                      orphan.workerId(), instance, failure.getMessage());
                                }
                              });
                    }))
        .replaceWithVoid()
        .onFailure()
        .invoke(f -> LOG.warnf("Orphan sweep of %s failed: %s", instance, f.getMessage()));
  }

  /** A provider saw a worker fail or vanish: give it up, and end its job's attempt. */
  void onProviderEvent(@ObservesAsync ProviderWorkerEvent reported) {
    WorkerEvent event = reported.event();
    UUID workerId;
    try {
      workerId = UUID.fromString(event.workerId());
    } catch (IllegalArgumentException e) {
      return;
    }
    Instant now = clock.instant();
    String reason =
        "provider "
            + reported.instanceName()
            + " reports worker "
            + workerId
            + " "
            + describe(event);
    db.tx(session -> giveUp(session, workerId, reason, now))
        .subscribe()
        .with(
            changed -> {
              if (changed) {
                wakeUp.fire(new WakeUp(reason));
              }
            },
            failure -> LOG.warnf(failure, "Could not apply a provider event for %s", workerId));
  }

  private Uni<Boolean> giveUp(Mutiny.Session session, UUID workerId, String reason, Instant now) {
    return session
        .find(WorkerEntity.class, workerId, LockModeType.PESSIMISTIC_WRITE)
        .chain(
            worker -> {
              if (worker == null
                  || worker.state.isFinal()
                  || worker.state == WorkerState.TERMINATING) {
                return Uni.createFrom().item(false);
              }
              worker.moveTo(
                  worker.state == WorkerState.PROVISIONING ? WorkerState.FAILED : WorkerState.LOST,
                  reason,
                  now);
              if (worker.jobId == null) {
                return Uni.createFrom().item(true);
              }
              return session
                  .find(JobEntity.class, worker.jobId, LockModeType.PESSIMISTIC_WRITE)
                  .chain(job -> failJob(session, job, worker, reason, now))
                  .replaceWith(true);
            });
  }

  private Uni<Void> failJob(
      Mutiny.Session session, JobEntity job, WorkerEntity worker, String reason, Instant now) {
    if (job == null || job.state.isFinal() || !worker.id.equals(job.workerId)) {
      return Uni.createFrom().voidItem();
    }
    if (job.cancelRequestedAt != null) {
      return transitions.move(session, job, JobState.CANCELLED, "cancelled; " + reason, now);
    }
    return transitions.failAttempt(
        session, job, FailureKind.INFRASTRUCTURE, JobState.FAILED, reason, null, now);
  }

  private static String describe(WorkerEvent event) {
    String what =
        switch (event.kind()) {
          case EXITED -> "exited";
          case FAILED -> "failed";
          case VANISHED -> "vanished";
        };
    return event.detail().isEmpty() ? what : what + ": " + event.detail();
  }

  private static TerminationReason reasonFor(WorkerEntity worker) {
    TerminationReason.Cause cause =
        switch (worker.state) {
          case LOST -> TerminationReason.Cause.LOST;
          case FAILED -> TerminationReason.Cause.PROVISIONING_DEADLINE;
          default -> TerminationReason.Cause.JOB_FINISHED;
        };
    return new TerminationReason(cause, worker.stateReason);
  }

  private Map<String, String> attributes(WorkerEntity worker) {
    try {
      return json.readValue(worker.handleAttributes, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      LOG.warnf("Worker %s has unreadable handle attributes; terminating without them", worker.id);
      return Map.of();
    }
  }
}
