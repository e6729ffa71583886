package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a worker pod's status means for Hodei, telling infrastructure failures (eviction, image
 * pull, OOM kill, node loss) apart from the job's own exit, so that only the former are retried.
 *
 * @param state the worker state
 * @param detail the reason in Kubernetes' words; infrastructure failures start with {@value
 *     #INFRASTRUCTURE}
 * @param exitCode the worker container's exit code, once it has one
 * @param infrastructureFailure whether the cluster, not the job, ended the worker
 */
record PodVerdict(
    WorkerState state, String detail, Optional<Integer> exitCode, boolean infrastructureFailure) {

  static final String INFRASTRUCTURE = "infrastructure failure: ";

  private static final Set<String> IMAGE_FAILURES =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

  WorkerStatus toStatus() {
    return new WorkerStatus(state, detail, exitCode);
  }

  static PodVerdict of(Pod pod) {
    PodStatus status = pod.getStatus() != null ? pod.getStatus() : new PodStatus();
    String phase = status.getPhase() == null ? "Pending" : status.getPhase();
    if ("Evicted".equals(status.getReason())) {
      return infrastructure("Evicted: " + nullToEmpty(status.getMessage()));
    }
    if ("DeadlineExceeded".equals(status.getReason())) {
      return infrastructure("DeadlineExceeded: the worker outlived its maximum lifetime");
    }
    Optional<ContainerStateWaiting> imageFailure = waitingOn(status, IMAGE_FAILURES);
    if (imageFailure.isPresent()) {
      ContainerStateWaiting waiting = imageFailure.get();
      return infrastructure(
          "image pull failed: " + waiting.getReason() + ": " + nullToEmpty(waiting.getMessage()));
    }
    Optional<ContainerStateTerminated> ended = terminated(status);
    return switch (phase) {
      case "Running" -> new PodVerdict(WorkerState.RUNNING, "", Optional.empty(), false);
      case "Succeeded" ->
          new PodVerdict(
              WorkerState.EXITED,
              "Completed",
              Optional.of(ended.map(ContainerStateTerminated::getExitCode).orElse(0)),
              false);
      case "Failed" -> failed(status, ended);
      case "Unknown" ->
          infrastructure("node lost: the pod's node stopped reporting (" + reason(status) + ")");
      default ->
          new PodVerdict(WorkerState.PENDING, pendingReason(status), Optional.empty(), false);
    };
  }

  private static PodVerdict failed(PodStatus status, Optional<ContainerStateTerminated> ended) {
    if (ended.isPresent() && "OOMKilled".equals(ended.get().getReason())) {
      return new PodVerdict(
          WorkerState.FAILED,
          INFRASTRUCTURE + "OOMKilled: the worker exceeded its memory limit",
          Optional.ofNullable(ended.get().getExitCode()),
          true);
    }
    if (ended.isEmpty()) {
      return infrastructure("pod failed before its worker ran: " + reason(status));
    }
    Integer code = ended.get().getExitCode();
    return new PodVerdict(
        WorkerState.EXITED, "exit code " + code, Optional.ofNullable(code), false);
  }

  /** Why a pod has not started: the scheduler's condition, or its container's waiting reason. */
  static String pendingReason(PodStatus status) {
    if (status.getConditions() != null) {
      for (PodCondition condition : status.getConditions()) {
        if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
          return nullToEmpty(condition.getReason()) + ": " + nullToEmpty(condition.getMessage());
        }
      }
    }
    return waitingOn(status, null)
        .map(w -> w.getReason() + (w.getMessage() == null ? "" : ": " + w.getMessage()))
        .orElse("waiting to be scheduled");
  }

  private static PodVerdict infrastructure(String detail) {
    return new PodVerdict(WorkerState.FAILED, INFRASTRUCTURE + detail, Optional.empty(), true);
  }

  private static Optional<ContainerStateWaiting> waitingOn(PodStatus status, Set<String> reasons) {
    for (ContainerStatus container : allContainers(status)) {
      ContainerStateWaiting waiting =
          container.getState() == null ? null : container.getState().getWaiting();
      if (waiting != null
          && waiting.getReason() != null
          && (reasons == null || reasons.contains(waiting.getReason()))) {
        return Optional.of(waiting);
      }
    }
    return Optional.empty();
  }

  private static Optional<ContainerStateTerminated> terminated(PodStatus status) {
    if (status.getContainerStatuses() == null) {
      return Optional.empty();
    }
    return status.getContainerStatuses().stream()
        .filter(c -> "worker".equals(c.getName()))
        .map(c -> c.getState() == null ? null : c.getState().getTerminated())
        .filter(t -> t != null)
        .findFirst();
  }

  private static List<ContainerStatus> allContainers(PodStatus status) {
    List<ContainerStatus> all = new ArrayList<>();
    if (status.getInitContainerStatuses() != null) {
      all.addAll(status.getInitContainerStatuses());
    }
    if (status.getContainerStatuses() != null) {
      all.addAll(status.getContainerStatuses());
    }
    return all;
  }

  private static String reason(PodStatus status) {
    String reason = nullToEmpty(status.getReason());
    String message = nullToEmpty(status.getMessage());
    return reason.isEmpty() && message.isEmpty() ? "no reason given" : reason + " " + message;
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }
}
