package io.hodei.plugins.ecs;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerEventSink;
import io.hodei.plugin.api.WorkerState;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Polls this instance's tasks (ECS offers no watch to a client) and reports what happens to them
 * outside the host's control: tasks that stop by themselves (the job's exit, or an infrastructure
 * failure such as a Spot interruption or an image that cannot be pulled) and tasks that disappear.
 * It also deregisters task definitions no longer used, on a slower schedule.
 */
final class TaskWatch implements AutoCloseable {

  /** The prefix of every StopTask reason Hodei gives, so its own stops are never news. */
  static final String OWN_STOP_PREFIX = "hodei:";

  private static final Logger LOG = Logger.getLogger(TaskWatch.class.getName());

  private final String instanceName;
  private final WorkerTasks tasks;
  private final TaskDefinitions definitions;
  private final WorkerEventSink events;
  private final Clock clock;
  private final Set<String> expectedGone = ConcurrentHashMap.newKeySet();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private Set<String> live = Set.of();
  private volatile boolean closed;

  TaskWatch(
      String instanceName,
      WorkerTasks tasks,
      TaskDefinitions definitions,
      WorkerEventSink events,
      Clock clock) {
    this.instanceName = instanceName;
    this.tasks = tasks;
    this.definitions = definitions;
    this.events = events;
    this.clock = clock;
  }

  void start(ScheduledExecutorService scheduler, Duration pollInterval, Duration cleanupInterval) {
    long every = Math.max(50, pollInterval.toMillis());
    scheduler.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    long cleanup = Math.max(1000, cleanupInterval.toMillis());
    scheduler.scheduleWithFixedDelay(this::sweep, cleanup, cleanup, TimeUnit.MILLISECONDS);
  }

  /** The host is terminating this worker: its end is not news. */
  void expectGone(String workerId) {
    expectedGone.add(workerId);
  }

  /** One round: report stopped and vanished workers. Public to tests through the package. */
  synchronized void poll() {
    if (closed) {
      return;
    }
    try {
      List<Task> running = tasks.owned(DesiredStatus.RUNNING);
      List<Task> stopped = tasks.owned(DesiredStatus.STOPPED);
      Map<String, Task> stoppedByWorker = byWorker(stopped);
      Set<String> runningNow = byWorker(running).keySet();
      for (Map.Entry<String, Task> entry : stoppedByWorker.entrySet()) {
        reportStopped(entry.getKey(), entry.getValue());
      }
      for (String workerId : live) {
        if (!runningNow.contains(workerId)
            && !stoppedByWorker.containsKey(workerId)
            && !expectedGone.remove(workerId)
            && reported.add(workerId)) {
          publish(
              workerId,
              WorkerEvent.Kind.VANISHED,
              "task of worker " + workerId + " no longer exists in ECS");
        }
      }
      live = Set.copyOf(runningNow);
      // ECS forgets stopped tasks after about an hour; so may we.
      Set<String> known = new HashSet<>(runningNow);
      known.addAll(stoppedByWorker.keySet());
      reported.retainAll(known);
      expectedGone.retainAll(known);
    } catch (ProviderException e) {
      if (!closed) {
        // The next round tries again; the host's own status polls are the backstop.
        LOG.log(Level.WARNING, "provider instance '" + instanceName + "': task poll failed", e);
      }
    }
  }

  private void reportStopped(String workerId, Task task) {
    // ListTasks(STOPPED) lists tasks by desired status: one still STOPPING has no verdict yet.
    if (!"STOPPED".equals(task.lastStatus())
        || expectedGone.contains(workerId)
        || (task.stoppedReason() != null && task.stoppedReason().startsWith(OWN_STOP_PREFIX))
        || !reported.add(workerId)) {
      return;
    }
    TaskVerdict verdict = TaskVerdict.of(task);
    publish(
        workerId,
        verdict.state() == WorkerState.FAILED ? WorkerEvent.Kind.FAILED : WorkerEvent.Kind.EXITED,
        verdict.detail());
  }

  /** Deregisters task definitions that no running task of this instance uses. */
  void sweep() {
    if (closed) {
      return;
    }
    try {
      Set<String> inUse =
          tasks.owned(DesiredStatus.RUNNING).stream()
              .map(Task::taskDefinitionArn)
              .collect(Collectors.toSet());
      definitions.sweep(inUse);
    } catch (ProviderException e) {
      if (!closed) {
        LOG.log(
            Level.WARNING,
            "provider instance '" + instanceName + "': task definition cleanup failed",
            e);
      }
    }
  }

  private static Map<String, Task> byWorker(List<Task> tasks) {
    Map<String, Task> byWorker = new HashMap<>();
    for (Task task : tasks) {
      String workerId = OwnershipTags.asMap(task.tags()).get(OwnershipTags.WORKER);
      if (workerId != null) {
        byWorker.put(workerId, task);
      }
    }
    return byWorker;
  }

  private void publish(String workerId, WorkerEvent.Kind kind, String detail) {
    if (!closed) {
      events.publish(new WorkerEvent(workerId, kind, detail, clock.instant()));
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
