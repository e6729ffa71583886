package io.hodei.credentials.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs scheduled tasks when a test advances time, in due order, on the test's thread. */
public final class ManualScheduler implements BrokerScheduler {

  private final TestingClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private long sequence;

  public ManualScheduler(TestingClock clock) {
    this.clock = clock;
  }

  private static final class Task {
    final Instant due;
    final long order;
    final Runnable body;
    boolean cancelled;

    Task(Instant due, long order, Runnable body) {
      this.due = due;
      this.order = order;
      this.body = body;
    }
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable body) {
    Task task = new Task(clock.instant().plus(delay), sequence++, body);
    tasks.add(task);
    return () -> task.cancelled = true;
  }

  /** Moves the clock forward by {@code duration}, running each task as its time comes. */
  public void advance(Duration duration) {
    Instant end = clock.instant().plus(duration);
    while (true) {
      Task next;
      synchronized (this) {
        tasks.removeIf(task -> task.cancelled);
        next =
            tasks.stream()
                .filter(task -> !task.due.isAfter(end))
                .min(
                    Comparator.comparing((Task task) -> task.due).thenComparing(task -> task.order))
                .orElse(null);
        if (next != null) {
          tasks.remove(next);
        }
      }
      if (next == null) {
        break;
      }
      if (next.due.isAfter(clock.instant())) {
        clock.advance(Duration.between(clock.instant(), next.due));
      }
      next.body.run();
    }
    if (end.isAfter(clock.instant())) {
      clock.advance(Duration.between(clock.instant(), end));
    }
  }

  public synchronized int pending() {
    tasks.removeIf(task -> task.cancelled);
    return tasks.size();
  }

  @Override
  public void close() {
    synchronized (this) {
      tasks.clear();
    }
  }
}
