package io.hodei.systemtests;

import java.util.Set;

/** A worker as {@code GET /api/v1/workers} shows it. */
public record Worker(
    String id,
    String pool,
    String providerInstance,
    String state,
    String reason,
    String resourceId,
    String jobId,
    int jobsRun,
    boolean released) {

  /** States a worker never leaves. */
  public static final Set<String> FINAL_STATES = Set.of("TERMINATED", "LOST", "FAILED");

  public boolean isFinal() {
    return FINAL_STATES.contains(state);
  }
}
