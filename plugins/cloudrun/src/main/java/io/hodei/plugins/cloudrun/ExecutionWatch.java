package io.hodei.plugins.cloudrun;

import com.google.cloud.run.v2.Execution;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerEventSink;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import io.hodei.plugins.support.Daemons;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Polls this instance's executions (Cloud Run offers no watch) and reports what happened to workers
 * outside the host's control: an execution that ended by itself ({@code EXITED}), one the platform
 * failed ({@code FAILED}), and one deleted by someone else while it ran ({@code VANISHED}). Workers
 * the host terminates are not reported.
 */
final class ExecutionWatch implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ExecutionWatch.class.getName());

  private final String instanceName;
  private final Supplier<Map<String, Execution>> executions;
  private final WorkerEventSink events;
  private final Clock clock;
  private final Set<String> expectedGone = ConcurrentHashMap.newKeySet();
  private Map<String, WorkerState> lastSeen = Map.of();
  private boolean initialized;
  private volatile ScheduledExecutorService scheduler;
  private volatile boolean closed;

  /**
   * @param executions every execution this instance owns, by worker id
   */
  ExecutionWatch(
      String instanceName,
      Supplier<Map<String, Execution>> executions,
      WorkerEventSink events,
      Clock clock) {
    this.instanceName = instanceName;
    this.executions = executions;
    this.events = events;
    this.clock = clock;
  }

  /** Polls every {@code interval} on a thread of its own. */
  void start(Duration interval) {
    scheduler = Daemons.scheduler("hodei-cloudrun-watch-" + instanceName);
    scheduler.scheduleWithFixedDelay(
        this::pollQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The host terminates this worker: its end is no news. */
  void expectGone(String workerId) {
    expectedGone.add(workerId);
  }

  /** One round: compare what Cloud Run holds now with the previous round, report the changes. */
  synchronized void poll() {
    Map<String, Execution> now = executions.get();
    Map<String, WorkerState> states = new HashMap<>();
    for (Map.Entry<String, Execution> entry : now.entrySet()) {
      String workerId = entry.getKey();
      WorkerStatus status = ExecutionVerdict.of(entry.getValue());
      states.put(workerId, status.state());
      WorkerState previous = lastSeen.get(workerId);
      boolean newlyFinal = status.state().isFinal() && (previous == null || !previous.isFinal());
      if (initialized && newlyFinal && !expectedGone.contains(workerId)) {
        WorkerEvent.Kind kind =
            status.state() == WorkerState.FAILED
                ? WorkerEvent.Kind.FAILED
                : WorkerEvent.Kind.EXITED;
        publish(workerId, kind, status.detail());
      }
    }
    for (Map.Entry<String, WorkerState> entry : lastSeen.entrySet()) {
      String workerId = entry.getKey();
      if (now.containsKey(workerId)) {
        continue;
      }
      if (!expectedGone.remove(workerId) && !entry.getValue().isFinal()) {
        publish(
            workerId,
            WorkerEvent.Kind.VANISHED,
            "the Cloud Run execution of worker " + workerId + " was deleted outside Hodei");
      }
    }
    lastSeen = states;
    initialized = true;
  }

  private void pollQuietly() {
    if (closed) {
      return;
    }
    try {
      poll();
    } catch (ProviderException e) {
      // The next round tries again; status() and list() report the same problem to the host.
      LOG.log(Level.FINE, "provider instance '" + instanceName + "': watch round failed: " + e, e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "provider instance '" + instanceName + "': watch round failed", e);
    }
  }

  private void publish(String workerId, WorkerEvent.Kind kind, String detail) {
    if (!closed) {
      events.publish(new WorkerEvent(workerId, kind, detail, clock.instant()));
    }
  }

  @Override
  public void close() {
    closed = true;
    // Not synchronized: a round in progress holds the monitor while it waits for Cloud Run.
    Daemons.stop(scheduler);
  }
}
