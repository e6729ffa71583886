package io.hodei.plugins.ecs;

import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * What an ECS task's status means for Hodei, telling infrastructure failures (an image that cannot
 * be pulled, a Spot interruption, a network interface or secret that could not be set up) apart
 * from the job's own exit, so that only the former are retried.
 *
 * @param state the worker state
 * @param detail the reason in ECS's words; infrastructure failures start with {@value
 *     #INFRASTRUCTURE}
 * @param exitCode the worker container's exit code, once it has one
 * @param infrastructureFailure whether AWS, not the job, ended the worker
 */
record TaskVerdict(
    WorkerState state, String detail, Optional<Integer> exitCode, boolean infrastructureFailure) {

  static final String INFRASTRUCTURE = "infrastructure failure: ";

  /** The container that runs the agent; others (the agent sidecar) do not decide the verdict. */
  static final String WORKER_CONTAINER = "worker";

  WorkerStatus toStatus() {
    return new WorkerStatus(state, detail, exitCode);
  }

  static TaskVerdict of(Task task) {
    String last = nullToEmpty(task.lastStatus());
    if (!last.equals("STOPPED") && !last.equals("DELETED")) {
      return live(task, last);
    }
    String reason = nullToEmpty(task.stoppedReason());
    TaskStopCode code = task.stopCode();
    Optional<Container> worker = worker(task);
    Optional<Integer> exit = worker.map(Container::exitCode);
    String containerReasons = containerReasons(task.containers());
    String everything = reason + " " + containerReasons;
    if (code == TaskStopCode.SPOT_INTERRUPTION
        || code == TaskStopCode.TERMINATION_NOTICE
        || reason.contains("Spot interruption")) {
      return infrastructure("Spot interruption or termination notice: " + orCode(reason, code));
    }
    if (everything.contains("CannotPullContainerError")
        || everything.contains("CannotPullImageManifestError")) {
      return infrastructure("image pull failed: " + firstNonEmpty(containerReasons, reason));
    }
    if (everything.contains("ResourceInitializationError")) {
      return infrastructure(
          "resource initialization failed: " + firstNonEmpty(reason, containerReasons));
    }
    if (containerReasons.contains("OutOfMemoryError")) {
      return new TaskVerdict(
          WorkerState.FAILED,
          INFRASTRUCTURE + "OutOfMemoryError: the worker exceeded the task's memory",
          exit,
          true);
    }
    if (code == TaskStopCode.TASK_FAILED_TO_START) {
      return infrastructure("TaskFailedToStart: " + firstNonEmpty(reason, containerReasons));
    }
    if (code == TaskStopCode.ESSENTIAL_CONTAINER_EXITED) {
      if (exit.isPresent()) {
        // The job's own end: its exit code, whatever it is.
        return new TaskVerdict(WorkerState.EXITED, "exit code " + exit.get(), exit, false);
      }
      return infrastructure(
          "EssentialContainerExited without an exit code: "
              + firstNonEmpty(containerReasons, reason));
    }
    if (code == TaskStopCode.USER_INITIATED || code == TaskStopCode.SERVICE_SCHEDULER_INITIATED) {
      return new TaskVerdict(WorkerState.EXITED, "stopped: " + orCode(reason, code), exit, false);
    }
    return infrastructure("task stopped: " + orCode(reason, code));
  }

  private static TaskVerdict live(Task task, String last) {
    boolean stopping = "STOPPED".equals(task.desiredStatus());
    return switch (last) {
      case "RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING" ->
          new TaskVerdict(
              WorkerState.RUNNING,
              stopping ? "stopping: " + nullToEmpty(task.stoppedReason()) : "",
              Optional.empty(),
              false);
      default ->
          new TaskVerdict(
              WorkerState.PENDING, last.isEmpty() ? "PROVISIONING" : last, Optional.empty(), false);
    };
  }

  private static Optional<Container> worker(Task task) {
    if (!task.hasContainers()) {
      return Optional.empty();
    }
    return task.containers().stream()
        .filter(c -> WORKER_CONTAINER.equals(c.name()))
        .filter(c -> c.exitCode() != null || c.reason() != null)
        .findFirst();
  }

  private static String containerReasons(List<Container> containers) {
    if (containers == null) {
      return "";
    }
    return String.join(
        "; ",
        containers.stream()
            .filter(c -> c.reason() != null && !c.reason().isBlank())
            .map(c -> c.name() + ": " + c.reason())
            .toList());
  }

  private static TaskVerdict infrastructure(String detail) {
    return new TaskVerdict(WorkerState.FAILED, INFRASTRUCTURE + detail, Optional.empty(), true);
  }

  private static String orCode(String reason, TaskStopCode code) {
    String stopCode = code == null ? "" : code.toString();
    return reason.isEmpty() ? stopCode : (stopCode.isEmpty() ? reason : stopCode + ": " + reason);
  }

  private static String firstNonEmpty(String first, String second) {
    return first.isBlank() ? second : first;
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }
}
