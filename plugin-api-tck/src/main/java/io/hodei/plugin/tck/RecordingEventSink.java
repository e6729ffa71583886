package io.hodei.plugin.tck;

import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerEventSink;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** An event sink that keeps every event it is given, for tests to inspect or wait for. */
public final class RecordingEventSink implements WorkerEventSink {

  private final List<WorkerEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void publish(WorkerEvent event) {
    if (event == null) {
      throw new IllegalArgumentException("a provider published a null event");
    }
    synchronized (this) {
      events.add(event);
      notifyAll();
    }
  }

  /** Every event so far, oldest first. */
  public List<WorkerEvent> events() {
    return List.copyOf(events);
  }

  /** Events about one worker, oldest first. */
  public List<WorkerEvent> eventsFor(String workerId) {
    return events.stream().filter(e -> e.workerId().equals(workerId)).toList();
  }

  /**
   * Waits until an event matching {@code condition} arrives, or {@code timeout} passes.
   *
   * @return the first matching event, or empty when none came in time
   */
  public Optional<WorkerEvent> await(Predicate<WorkerEvent> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        Optional<WorkerEvent> match = events.stream().filter(condition).findFirst();
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (match.isPresent() || remainingMillis <= 0) {
          return match;
        }
        wait(remainingMillis);
      }
    }
  }
}
