package io.hodei.plugins.local;

import io.hodei.plugin.api.WorkerState;

/** What a worker process's exit code means for its state. */
final class ExitCodes {

  /** Exit codes above this mean the process was killed by signal (code - 128), by convention. */
  private static final int SIGNAL_BASE = 128;

  private ExitCodes() {}

  /** Ended by itself, whatever its code, is EXITED; killed by a signal (OOM, kill -9) is FAILED. */
  static WorkerState stateOf(int exitCode) {
    return exitCode > SIGNAL_BASE ? WorkerState.FAILED : WorkerState.EXITED;
  }

  static String describe(int exitCode) {
    return exitCode > SIGNAL_BASE
        ? "killed by signal " + (exitCode - SIGNAL_BASE) + " (exit code " + exitCode + ")"
        : "exit code " + exitCode;
  }
}
