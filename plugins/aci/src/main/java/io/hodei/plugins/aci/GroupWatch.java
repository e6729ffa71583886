package io.hodei.plugins.aci;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerEventSink;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Polls this instance's container groups (Resource Manager has no watch) and reports what happens
 * to workers outside the host's control: a group whose provisioning failed ({@code FAILED}), a
 * worker container that ended ({@code EXITED}, when the listing carries its state) and a group
 * deleted by someone else ({@code VANISHED}). A failed listing reports nothing: an unreachable
 * Resource Manager is not a vanished worker.
 */
final class GroupWatch {

  private static final Logger LOG = Logger.getLogger(GroupWatch.class.getName());

  private final String instanceName;
  private final WorkerEventSink events;
  private final Clock clock;
  private final Supplier<List<ContainerGroupInner>> lister;

  /** The last state seen of each worker's group, by worker id; touched by the watch thread only. */
  private final Map<String, WorkerState> seen = new HashMap<>();

  /** Workers whose final state was reported already, so it is reported once. */
  private final Set<String> reported = new HashSet<>();

  /** Workers the host terminates: their disappearance is expected, not news. */
  private final Set<String> expectedGone = ConcurrentHashMap.newKeySet();

  private volatile ScheduledFuture<?> task;
  private volatile boolean closed;

  GroupWatch(
      String instanceName,
      WorkerEventSink events,
      Clock clock,
      Supplier<List<ContainerGroupInner>> lister) {
    this.instanceName = instanceName;
    this.events = events;
    this.clock = clock;
    this.lister = lister;
  }

  void start(ScheduledExecutorService scheduler, Duration interval) {
    task =
        scheduler.scheduleWithFixedDelay(
            this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The host terminates this worker: do not report its group's deletion. */
  void expectGone(String workerId) {
    expectedGone.add(workerId);
  }

  private void checkQuietly() {
    try {
      check();
    } catch (ProviderException e) {
      LOG.log(
          Level.FINE,
          "provider instance '" + instanceName + "': watch round skipped: " + e.getMessage());
    } catch (RuntimeException e) {
      // Never let one bad round end the scheduled task.
      LOG.log(Level.WARNING, "provider instance '" + instanceName + "': watch round failed", e);
    }
  }

  /** One round: list, compare with the previous round, publish what changed. */
  synchronized void check() {
    List<ContainerGroupInner> groups = lister.get();
    if (closed) {
      return;
    }
    Set<String> present = new HashSet<>();
    for (ContainerGroupInner group : groups) {
      Optional<String> workerId = OwnershipTags.workerId(group.tags());
      if (workerId.isEmpty()) {
        continue;
      }
      String id = workerId.get();
      present.add(id);
      WorkerStatus status = GroupVerdict.of(group);
      seen.put(id, status.state());
      if (status.state().isFinal() && !expectedGone.contains(id) && reported.add(id)) {
        if (status.state() == WorkerState.FAILED) {
          publish(id, WorkerEvent.Kind.FAILED, status.detail());
        } else if (status.state() == WorkerState.EXITED) {
          publish(
              id,
              WorkerEvent.Kind.EXITED,
              status.exitCode().map(code -> "exit code " + code).orElse(status.detail()));
        }
      }
    }
    for (String id : Set.copyOf(seen.keySet())) {
      if (present.contains(id)) {
        continue;
      }
      WorkerState last = seen.remove(id);
      boolean expected = expectedGone.remove(id);
      if (!expected && !reported.contains(id) && !last.isFinal()) {
        publish(
            id,
            WorkerEvent.Kind.VANISHED,
            "container group of worker " + id + " was deleted outside Hodei");
      }
      reported.remove(id);
    }
  }

  private void publish(String workerId, WorkerEvent.Kind kind, String detail) {
    if (!closed) {
      events.publish(new WorkerEvent(workerId, kind, detail, clock.instant()));
    }
  }

  void close() {
    closed = true;
    ScheduledFuture<?> running = task;
    if (running != null) {
      running.cancel(true);
    }
  }
}
