package io.hodei.plugins.cloudrun;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import java.util.Optional;

/**
 * How an execution's counts and conditions read as a worker state. Cloud Run reports the end of an
 * execution in its {@code Completed} condition: succeeded, or failed with a reason that tells a
 * task that exited non-zero or was cancelled (the worker ended) from a failure of the platform.
 */
final class ExecutionVerdict {

  static final String INFRASTRUCTURE = "infrastructure failure: ";
  private static final String COMPLETED = "Completed";

  private ExecutionVerdict() {}

  static WorkerStatus of(Execution execution) {
    if (execution.hasDeleteTime()) {
      return WorkerStatus.of(WorkerState.NOT_FOUND, "execution is being deleted");
    }
    Optional<Condition> completed =
        execution.getConditionsList().stream()
            .filter(c -> COMPLETED.equals(c.getType()))
            .findFirst();
    Condition.State completedState =
        completed.map(Condition::getState).orElse(Condition.State.STATE_UNSPECIFIED);
    if (completedState == Condition.State.CONDITION_SUCCEEDED) {
      return new WorkerStatus(WorkerState.EXITED, "execution succeeded", Optional.of(0));
    }
    if (completedState == Condition.State.CONDITION_FAILED) {
      Condition condition = completed.get();
      String message = condition.getMessage();
      return switch (condition.getExecutionReason()) {
        case CANCELLED, CANCELLING -> WorkerStatus.of(WorkerState.EXITED, "cancelled: " + message);
        case NON_ZERO_EXIT_CODE ->
            WorkerStatus.of(WorkerState.EXITED, "task exited with a non-zero code: " + message);
        default ->
            WorkerStatus.of(
                WorkerState.FAILED,
                INFRASTRUCTURE + reasonOf(condition) + (message.isEmpty() ? "" : ": " + message));
      };
    }
    if (execution.hasCompletionTime()) {
      // Completed without a condition saying how: trust the counts.
      if (execution.getSucceededCount() > 0) {
        return new WorkerStatus(WorkerState.EXITED, "execution succeeded", Optional.of(0));
      }
      if (execution.getCancelledCount() > 0) {
        return WorkerStatus.of(WorkerState.EXITED, "cancelled");
      }
      return WorkerStatus.of(WorkerState.EXITED, "task failed");
    }
    if (execution.getRunningCount() > 0) {
      return WorkerStatus.of(WorkerState.RUNNING);
    }
    return WorkerStatus.of(WorkerState.PENDING, pendingDetail(execution));
  }

  /** The worker id an execution was started for, from its environment; empty if none. */
  static Optional<String> workerIdOf(Execution execution) {
    for (Container container : execution.getTemplate().getContainersList()) {
      for (EnvVar env : container.getEnvList()) {
        if (PluginApi.ENV_WORKER_ID.equals(env.getName()) && !env.getValue().isEmpty()) {
          return Optional.of(env.getValue());
        }
      }
    }
    return Optional.empty();
  }

  private static String reasonOf(Condition condition) {
    return switch (condition.getReasonsCase()) {
      case EXECUTION_REASON -> condition.getExecutionReason().name();
      case REASON -> condition.getReason().name();
      case REVISION_REASON -> condition.getRevisionReason().name();
      default -> "execution failed";
    };
  }

  private static String pendingDetail(Execution execution) {
    return execution.getConditionsList().stream()
        .filter(c -> c.getState() != Condition.State.CONDITION_SUCCEEDED)
        .filter(c -> !c.getMessage().isEmpty())
        .map(c -> c.getType() + ": " + c.getMessage())
        .findFirst()
        .orElse("waiting for Cloud Run to start the task");
  }
}
