package io.hodei.plugin.api;

import java.time.Instant;

/**
 * Something that happened to a worker outside the host's control, reported by its provider.
 *
 * @param workerId the host's worker id (from the worker's labels)
 * @param kind what happened
 * @param detail the backend's explanation, e.g. {@code Evicted: node out of memory}
 * @param at when the provider observed it
 */
public record WorkerEvent(String workerId, Kind kind, String detail, Instant at) {

  /** The kinds of event a provider reports. */
  public enum Kind {
    /** The worker ended by itself (its process exited). */
    EXITED,
    /** The infrastructure failed it: eviction, image pull failure, node loss, OOM kill. */
    FAILED,
    /** It disappeared: deleted from outside, or the backend lost it. */
    VANISHED
  }
}
