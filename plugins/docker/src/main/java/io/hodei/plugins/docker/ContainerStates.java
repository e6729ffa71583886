package io.hodei.plugins.docker;

import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import java.util.Optional;

/** What a container's state, as the engine reports it, means for its worker. */
final class ContainerStates {

  /** Exit codes above this mean the process was killed by a signal (code - 128). */
  private static final int SIGNAL_BASE = 128;

  private ContainerStates() {}

  static WorkerStatus of(ContainerState state) {
    String status = state.getStatus() == null ? "" : state.getStatus();
    return switch (status) {
      case "created" -> WorkerStatus.of(WorkerState.PENDING, "container created, not started");
      case "running", "restarting", "paused" ->
          WorkerStatus.of(WorkerState.RUNNING, "container " + status);
      case "exited", "dead", "removing" -> ended(state);
      default -> WorkerStatus.of(WorkerState.PENDING, "container state '" + status + "'");
    };
  }

  private static WorkerStatus ended(ContainerState state) {
    Optional<Integer> exitCode = Optional.ofNullable(state.getExitCodeLong()).map(Long::intValue);
    if (Boolean.TRUE.equals(state.getOOMKilled())) {
      return new WorkerStatus(
          WorkerState.FAILED, "killed by the kernel: out of memory (OOMKilled)", exitCode);
    }
    String error = state.getError() == null ? "" : state.getError();
    if (!error.isBlank()) {
      return new WorkerStatus(
          WorkerState.FAILED, "the engine could not run it: " + error, exitCode);
    }
    int code = exitCode.orElse(0);
    return new WorkerStatus(stateOfExit(code), describeExit(code), exitCode);
  }

  /** Ended by itself, whatever its code, is EXITED; killed by a signal (kill, OOM) is FAILED. */
  static WorkerState stateOfExit(int exitCode) {
    return exitCode > SIGNAL_BASE ? WorkerState.FAILED : WorkerState.EXITED;
  }

  static String describeExit(int exitCode) {
    return exitCode > SIGNAL_BASE
        ? "killed by signal " + (exitCode - SIGNAL_BASE) + " (exit code " + exitCode + ")"
        : "exited with code " + exitCode;
  }
}
