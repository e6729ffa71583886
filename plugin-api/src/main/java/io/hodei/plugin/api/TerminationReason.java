package io.hodei.plugin.api;

/**
 * Why the host terminates a worker; providers may pass it on to their backend (e.g. ECS {@code
 * StopTask}'s reason).
 *
 * @param cause the kind of reason
 * @param detail a short explanation for people
 */
public record TerminationReason(Cause cause, String detail) {

  /** The kinds of reason the host has to end a worker. */
  public enum Cause {
    /** Its job ended and the worker is not reused. */
    JOB_FINISHED,
    /** It sat idle past its pool's idle timeout. */
    IDLE,
    /** Its job was cancelled or timed out. */
    JOB_STOPPED,
    /** Its agent stopped heartbeating; the host gave it up. */
    LOST,
    /** It never registered before the provisioning deadline. */
    PROVISIONING_DEADLINE,
    /** The host found it on the backend without a record of its own. */
    ORPHANED,
    /** An operator asked for it, or the pool is being drained. */
    ADMINISTRATIVE
  }

  public TerminationReason {
    detail = detail == null ? "" : detail;
  }

  public static TerminationReason of(Cause cause) {
    return new TerminationReason(cause, "");
  }

  /** A one-line description, e.g. for a backend's reason field. */
  public String describe() {
    return detail.isEmpty() ? "hodei: " + cause : "hodei: " + cause + ": " + detail;
  }
}
