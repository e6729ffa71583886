package io.hodei.plugin.api;

import java.util.Optional;

/**
 * A worker's state with the backend's explanation.
 *
 * @param state the state
 * @param detail why, in the backend's words (e.g. {@code ImagePullBackOff}); empty when there is
 *     nothing to add
 * @param exitCode the worker's exit code once it has one
 */
public record WorkerStatus(WorkerState state, String detail, Optional<Integer> exitCode) {

  public WorkerStatus {
    detail = detail == null ? "" : detail;
  }

  public static WorkerStatus of(WorkerState state) {
    return new WorkerStatus(state, "", Optional.empty());
  }

  public static WorkerStatus of(WorkerState state, String detail) {
    return new WorkerStatus(state, detail, Optional.empty());
  }
}
