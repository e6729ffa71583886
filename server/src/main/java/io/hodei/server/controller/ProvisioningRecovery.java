package io.hodei.server.controller;

import io.hodei.core.workers.UnconfirmedWorkers;
import io.hodei.core.workers.UnconfirmedWorkers.Adopt;
import io.hodei.core.workers.UnconfirmedWorkers.Decision;
import io.hodei.core.workers.UnconfirmedWorkers.Retry;
import io.hodei.core.workers.WorkerState;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.server.persistence.Db;
import io.hodei.server.plugins.ManagedProvider;
import io.hodei.server.providers.ProviderInstances;
import io.hodei.server.workers.WorkerEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * After a start, settles the workers an earlier run wrote but never heard back about from their
 * provider (PROVISIONING, no resource id): as soon as each provider instance is open, its {@code
 * list()} says whether the worker exists, and {@link UnconfirmedWorkers} decides. Without this, a
 * crash between committing the worker row and recording the provider's answer cost the job its
 * whole provisioning deadline.
 */
@ApplicationScoped
public class ProvisioningRecovery {

  private static final Logger LOG = Logger.getLogger(ProvisioningRecovery.class);
  private static final String UNCONFIRMED =
      "select * from workers where provider_instance = :instance and state = 'PROVISIONING'"
          + " and resource_id is null and released_at is null and created_at < :since";

  private final Db db;
  private final ProviderInstances providers;
  private final WorkerProvisioning provisioning;
  private final Event<WakeUp> wakeUp;
  private final Clock clock;

  /** Workers written before this are the earlier run's; later ones may have a call in flight. */
  private volatile Instant since;

  /** Instances still to settle; null until read from the database. */
  private volatile Set<String> waiting;

  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  public ProvisioningRecovery(
      Db db,
      ProviderInstances providers,
      WorkerProvisioning provisioning,
      Event<WakeUp> wakeUp,
      Clock clock) {
    this.db = db;
    this.providers = providers;
    this.provisioning = provisioning;
    this.wakeUp = wakeUp;
    this.clock = clock;
    this.since = clock.instant();
  }

  /**
   * Looks again, as a start does, at the workers written until now; for tests that write the state
   * a crash leaves and then recover from it.
   */
  public void startOver() {
    since = clock.instant();
    waiting = null;
  }

  /** Settles what it can now; cheap once every instance is settled. Does not wait for providers. */
  public Uni<Void> reconcile() {
    Set<String> known = waiting;
    if (known != null && known.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Instant cutoff = since;
    Uni<Set<String>> instances =
        known != null
            ? Uni.createFrom().item(known)
            : db.tx(
                    session ->
                        session
                            .createSelectionQuery(
                                "select distinct providerInstance from WorkerEntity where state"
                                    + " = :provisioning and resourceId is null and releasedAt"
                                    + " is null and createdAt < :since",
                                String.class)
                            .setParameter("provisioning", WorkerState.PROVISIONING)
                            .setParameter("since", cutoff)
                            .getResultList())
                .map(
                    names -> {
                      Set<String> loaded = ConcurrentHashMap.newKeySet();
                      loaded.addAll(names);
                      waiting = loaded;
                      return loaded;
                    });
    return instances
        .invoke(names -> List.copyOf(names).forEach(name -> settle(names, name, cutoff)))
        .replaceWithVoid();
  }

  private void settle(Set<String> names, String instance, Instant cutoff) {
    Optional<ManagedProvider> provider = providers.get(instance);
    if (provider.isEmpty() || !inFlight.add(instance)) {
      return; // not open yet: a later pass tries again
    }
    Uni.createFrom()
        .completionStage(() -> provider.get().list())
        .chain(listed -> db.tx(session -> apply(session, instance, listed, cutoff)))
        .subscribe()
        .with(
            settled -> {
              names.remove(instance);
              inFlight.remove(instance);
              if (settled > 0) {
                wakeUp.fire(new WakeUp("unconfirmed workers settled"));
              }
            },
            failure -> {
              inFlight.remove(instance);
              LOG.warnf(
                  "Could not settle the unconfirmed workers of %s yet, retrying: %s",
                  instance, failure.getMessage());
            });
  }

  private Uni<Integer> apply(
      Mutiny.Session session, String instance, List<WorkerHandle> listed, Instant cutoff) {
    Instant now = clock.instant();
    return session
        .createNativeQuery(UNCONFIRMED + " for update skip locked", WorkerEntity.class)
        .setParameter("instance", instance)
        .setParameter("since", cutoff)
        .getResultList()
        .chain(
            workers -> {
              Map<String, WorkerEntity> byId =
                  workers.stream()
                      .collect(Collectors.toMap(w -> w.id.toString(), Function.identity()));
              List<Decision> decisions = UnconfirmedWorkers.decide(instance, byId.keySet(), listed);
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (Decision decision : decisions) {
                WorkerEntity worker = byId.get(decision.workerId());
                chain = chain.chain(() -> applyOne(session, worker, decision, now));
              }
              return chain.replaceWith(decisions.size());
            });
  }

  private Uni<Void> applyOne(
      Mutiny.Session session, WorkerEntity worker, Decision decision, Instant now) {
    if (decision instanceof Adopt adopt) {
      LOG.infof(
          "Worker %s was started before the restart (%s): adopted",
          worker.id, adopt.handle().resourceId());
      provisioning.adopt(worker, adopt.handle(), now);
      return Uni.createFrom().voidItem();
    }
    String reason = ((Retry) decision).reason();
    LOG.infof("Worker %s: %s; retrying its job now", worker.id, reason);
    return provisioning.failAttempt(session, worker, reason, true, now);
  }
}
