package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerEventSink;
import io.hodei.plugin.api.WorkerState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches this instance's worker pods and reports what happens to them outside the host's control:
 * pods that fail (eviction and image pull failures as infrastructure failures), pods deleted from
 * outside, and pods still pending past {@code pendingTimeout}, which it deletes.
 */
final class WorkerWatch implements AutoCloseable {

  /** Deletes a worker's Job or Pod. */
  interface Remover {
    void remove(String namespace, String workerId, WorkloadKind kind);
  }

  private static final Logger LOG = Logger.getLogger(WorkerWatch.class.getName());

  private final KubernetesSettings settings;
  private final Map<String, String> ownerLabels;
  private final WorkerEventSink events;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Remover remover;
  private final Set<String> expectedGone = ConcurrentHashMap.newKeySet();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> firstSeenPending = new ConcurrentHashMap<>();
  private volatile KubernetesClient client;
  private volatile Watch watch;
  private volatile boolean closed;

  WorkerWatch(
      KubernetesSettings settings,
      Map<String, String> ownerLabels,
      WorkerEventSink events,
      Clock clock,
      ScheduledExecutorService scheduler,
      Remover remover) {
    this.settings = settings;
    this.ownerLabels = Map.copyOf(ownerLabels);
    this.events = events;
    this.clock = clock;
    this.scheduler = scheduler;
    this.remover = remover;
  }

  /** Starts watching with {@code client}, and checks pending pods every pendingCheckInterval. */
  void start(KubernetesClient client) {
    this.client = client;
    openWatch();
    long every = Math.max(50, settings.pendingCheckInterval().toMillis());
    scheduler.scheduleWithFixedDelay(this::sweepPending, every, every, TimeUnit.MILLISECONDS);
  }

  /** Moves the watch to a rebuilt client, e.g. after a credential rotation. */
  void switchTo(KubernetesClient fresh) {
    this.client = fresh;
    Watch previous = watch;
    if (previous != null) {
      previous.close();
    }
    scheduler.execute(this::openWatch);
  }

  /** The host is terminating this worker: its deletion is not news. */
  void expectGone(String workerId) {
    expectedGone.add(workerId);
  }

  private FilterWatchListDeletable<Pod, PodList, PodResource> pods() {
    var pods = client.pods();
    return settings.namespacePerTenant()
        ? pods.inAnyNamespace().withLabels(ownerLabels)
        : pods.inNamespace(settings.namespace()).withLabels(ownerLabels);
  }

  private synchronized void openWatch() {
    if (closed) {
      return;
    }
    try {
      watch = pods().watch(new PodWatcher());
    } catch (KubernetesClientException e) {
      LOG.log(
          Level.WARNING,
          "provider instance '" + settings.instanceName() + "': cannot watch pods; retrying",
          e);
      scheduler.schedule(this::openWatch, 2, TimeUnit.SECONDS);
    }
  }

  private final class PodWatcher implements Watcher<Pod> {

    @Override
    public void eventReceived(Action action, Pod pod) {
      if (closed) {
        return;
      }
      String workerId = workerIdOf(pod);
      if (workerId == null) {
        return;
      }
      PodVerdict verdict = PodVerdict.of(pod);
      if (action == Action.DELETED) {
        firstSeenPending.remove(workerId);
        boolean ours = expectedGone.remove(workerId);
        boolean over = reported.remove(workerId) || verdict.state().isFinal();
        if (!ours && !over) {
          publish(
              workerId,
              WorkerEvent.Kind.VANISHED,
              "pod "
                  + pod.getMetadata().getNamespace()
                  + "/"
                  + pod.getMetadata().getName()
                  + " was deleted outside Hodei");
        }
        return;
      }
      if (verdict.state() == WorkerState.FAILED && reported.add(workerId)) {
        publish(workerId, WorkerEvent.Kind.FAILED, verdict.detail());
      } else if (verdict.state() == WorkerState.EXITED
          && !expectedGone.contains(workerId)
          && reported.add(workerId)) {
        publish(workerId, WorkerEvent.Kind.EXITED, verdict.detail());
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      if (!closed) {
        LOG.log(
            Level.WARNING,
            "provider instance '" + settings.instanceName() + "': pod watch closed; reopening",
            cause);
        scheduler.schedule(WorkerWatch.this::openWatch, 1, TimeUnit.SECONDS);
      }
    }
  }

  /** Deletes workers whose pod has been pending past the deadline, with the scheduler's reason. */
  void sweepPending() {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    try {
      for (Pod pod : pods().list().getItems()) {
        String workerId = workerIdOf(pod);
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (workerId == null || !(phase == null || "Pending".equals(phase))) {
          continue;
        }
        Instant since = pendingSince(pod, workerId, now);
        if (Duration.between(since, now).compareTo(settings.pendingTimeout()) > 0) {
          giveUp(pod, workerId);
        }
      }
    } catch (KubernetesClientException | ProviderException e) {
      if (closed) {
        return; // interrupted by close(): nothing to report
      }
      // The next sweep tries again; the host's own provisioning deadline is the backstop.
      LOG.log(
          Level.WARNING,
          "provider instance '" + settings.instanceName() + "': pending-pod check failed",
          e);
    }
  }

  private void giveUp(Pod pod, String workerId) {
    PodVerdict verdict = PodVerdict.of(pod);
    String why =
        verdict.infrastructureFailure()
            ? verdict.detail().substring(PodVerdict.INFRASTRUCTURE.length())
            : PodVerdict.pendingReason(
                pod.getStatus() == null
                    ? new io.fabric8.kubernetes.api.model.PodStatus()
                    : pod.getStatus());
    expectedGone.add(workerId);
    WorkloadKind kind =
        WorkloadKind.ofLabel(pod.getMetadata().getLabels().get(OwnershipLabels.KIND));
    remover.remove(pod.getMetadata().getNamespace(), workerId, kind);
    firstSeenPending.remove(workerId);
    reported.add(workerId);
    publish(
        workerId,
        WorkerEvent.Kind.FAILED,
        PodVerdict.INFRASTRUCTURE
            + "pending for longer than "
            + settings.pendingTimeout()
            + " (pendingTimeout), deleted: "
            + why);
  }

  private Instant pendingSince(Pod pod, String workerId, Instant now) {
    Instant seen = firstSeenPending.computeIfAbsent(workerId, id -> now);
    String created = pod.getMetadata().getCreationTimestamp();
    if (created == null) {
      return seen;
    }
    try {
      Instant creation = Instant.parse(created);
      return creation.isBefore(seen) ? creation : seen;
    } catch (DateTimeParseException e) {
      return seen;
    }
  }

  static String workerIdOf(Pod pod) {
    if (pod.getMetadata() == null) {
      return null;
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String exact = annotations == null ? null : annotations.get(OwnershipLabels.WORKER_ID);
    Map<String, String> labels = pod.getMetadata().getLabels();
    return Optional.ofNullable(exact)
        .orElse(labels == null ? null : labels.get(OwnershipLabels.WORKER));
  }

  private void publish(String workerId, WorkerEvent.Kind kind, String detail) {
    if (!closed) {
      events.publish(new WorkerEvent(workerId, kind, detail, clock.instant()));
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (watch != null) {
      watch.close();
      watch = null;
    }
    // A closed provider may stay reachable; its client must not, or the HTTP client's selector
    // thread lives on.
    client = null;
  }
}
