package io.hodei.plugins.aci;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.ContainerState;
import com.azure.resourcemanager.containerinstance.models.Event;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a container group's state means for its worker. Resource Manager reports three layers: the
 * group's {@code provisioningState} (Pending, Creating, Succeeded, Failed, Canceled, Deleting), the
 * group's {@code instanceView.state} (Pending, Running, Succeeded, Failed, Stopped) and the worker
 * container's {@code instanceView.currentState} (Waiting, Running, Terminated with an exit code). A
 * failed or cancelled provisioning is the infrastructure's fault; a terminated container is the
 * worker ending by itself.
 */
final class GroupVerdict {

  /** The prefix of details that blame the infrastructure, as the host shows them. */
  static final String INFRASTRUCTURE = "infrastructure failure: ";

  private GroupVerdict() {}

  static WorkerStatus of(ContainerGroupInner group) {
    String provisioning = lower(group.provisioningState());
    Optional<ContainerState> container = workerContainer(group).map(GroupVerdict::currentState);
    String groupState = group.instanceView() == null ? "" : lower(group.instanceView().state());

    switch (provisioning) {
      case "failed":
        return WorkerStatus.of(
            WorkerState.FAILED, INFRASTRUCTURE + "provisioning failed" + warnings(group));
      case "canceled", "cancelled":
        return WorkerStatus.of(
            WorkerState.FAILED, INFRASTRUCTURE + "provisioning was cancelled" + warnings(group));
      case "deleting":
        return WorkerStatus.of(WorkerState.EXITED, "the container group is being deleted");
      default:
        break;
    }
    if (container.isPresent()) {
      ContainerState current = container.get();
      String state = lower(current.state());
      String detail = Optional.ofNullable(current.detailStatus()).orElse("");
      switch (state) {
        case "terminated":
          return new WorkerStatus(
              WorkerState.EXITED,
              detail.isEmpty() ? "Terminated" : detail,
              Optional.ofNullable(current.exitCode()));
        case "running":
          return WorkerStatus.of(WorkerState.RUNNING, detail);
        case "waiting":
          return WorkerStatus.of(
              WorkerState.PENDING, detail.isEmpty() ? "waiting" : "waiting: " + detail);
        default:
          break;
      }
    }
    return switch (groupState) {
      case "stopped" -> WorkerStatus.of(WorkerState.EXITED, "the container group was stopped");
      case "succeeded" -> new WorkerStatus(WorkerState.EXITED, "Succeeded", Optional.empty());
      case "failed" ->
          WorkerStatus.of(
              WorkerState.FAILED, INFRASTRUCTURE + "container group failed" + warnings(group));
      case "running" -> WorkerStatus.of(WorkerState.RUNNING);
      default ->
          WorkerStatus.of(
              WorkerState.PENDING,
              "provisioning: " + Optional.ofNullable(group.provisioningState()).orElse("accepted"));
    };
  }

  private static Optional<Container> workerContainer(ContainerGroupInner group) {
    if (group.containers() == null) {
      return Optional.empty();
    }
    return group.containers().stream()
        .filter(c -> WorkerGroupTemplate.CONTAINER.equals(c.name()))
        .findFirst()
        .or(() -> group.containers().stream().findFirst());
  }

  private static ContainerState currentState(Container container) {
    return container.instanceView() == null ? null : container.instanceView().currentState();
  }

  /** The group's and its containers' warning events, e.g. a failed image pull. */
  private static String warnings(ContainerGroupInner group) {
    List<Event> events = new ArrayList<>();
    if (group.instanceView() != null && group.instanceView().events() != null) {
      events.addAll(group.instanceView().events());
    }
    workerContainer(group)
        .filter(c -> c.instanceView() != null && c.instanceView().events() != null)
        .ifPresent(c -> events.addAll(c.instanceView().events()));
    String text =
        events.stream()
            .filter(e -> "warning".equals(lower(e.type())))
            .map(e -> e.name() + ": " + e.message())
            .distinct()
            .collect(Collectors.joining("; "));
    return text.isEmpty() ? "" : ": " + text;
  }

  private static String lower(String text) {
    return text == null ? "" : text.toLowerCase(Locale.ROOT);
  }
}
