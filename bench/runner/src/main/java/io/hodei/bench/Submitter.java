package io.hodei.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * Submits jobs either as fast as the server takes them with a fixed number in flight (closed loop),
 * or at a fixed rate whatever the server does (open loop). Records each submission's start time.
 */
final class Submitter {

  private final ApiClient api;
  private final Timeline timeline;

  Submitter(ApiClient api, Timeline timeline) {
    this.api = api;
    this.timeline = timeline;
  }

  /** What was submitted, and what failed to be. */
  record Submitted(List<UUID> jobIds, List<String> failures) {}

  Submitted closedLoop(String pool, int jobs, int concurrency) throws InterruptedException {
    ConcurrentLinkedQueue<UUID> ids = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    Semaphore inFlight = new Semaphore(concurrency);
    for (int i = 0; i < jobs; i++) {
      inFlight.acquire();
      submit(pool, i, ids, failures).whenComplete((ignored, failure) -> inFlight.release());
    }
    inFlight.acquire(concurrency);
    return new Submitted(List.copyOf(ids), List.copyOf(failures));
  }

  Submitted paced(String pool, int perSecond, Duration length) {
    ConcurrentLinkedQueue<UUID> ids = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    long jobs = length.toSeconds() * perSecond;
    long intervalNanos = 1_000_000_000L / perSecond;
    long start = System.nanoTime();
    CompletableFuture<?>[] calls = new CompletableFuture<?>[(int) jobs];
    for (int i = 0; i < jobs; i++) {
      long due = start + i * intervalNanos;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      calls[i] = submit(pool, i, ids, failures);
    }
    CompletableFuture.allOf(calls).exceptionally(failure -> null).join();
    return new Submitted(List.copyOf(ids), List.copyOf(failures));
  }

  private CompletableFuture<UUID> submit(
      String pool,
      int index,
      ConcurrentLinkedQueue<UUID> ids,
      ConcurrentLinkedQueue<String> failures) {
    Instant at = Instant.now();
    return api.submit("bench-" + pool + "-" + index, pool)
        .whenComplete(
            (id, failure) -> {
              if (failure != null) {
                failures.add(
                    String.valueOf(failure.getCause() == null ? failure : failure.getCause()));
              } else {
                timeline.submitted(id, at);
                ids.add(id);
              }
            });
  }
}
