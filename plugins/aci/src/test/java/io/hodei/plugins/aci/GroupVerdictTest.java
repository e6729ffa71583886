package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import org.junit.jupiter.api.Test;

/**
 * Container group answers, in the shape of the Resource Manager API reference, read by the SDK and
 * mapped to worker states.
 */
class GroupVerdictTest {

  private static WorkerStatus verdict(
      String provisioning, String groupState, String containerState, String groupEvents)
      throws Exception {
    String json =
        """
        {
          "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/hodei-w",
          "name": "hodei-w",
          "type": "Microsoft.ContainerInstance/containerGroups",
          "location": "westeurope",
          "tags": {"hodei-worker": "w"},
          "properties": {
            "provisioningState": "%s",
            "containers": [{
              "name": "worker",
              "properties": {
                "image": "hodei/agent-runtime:1.0",
                "resources": {"requests": {"cpu": 1.0, "memoryInGB": 1.5}},
                "instanceView": {"restartCount": 0, "currentState": %s, "events": []}
              }
            }],
            "restartPolicy": "Never",
            "osType": "Linux",
            "instanceView": {"state": "%s", "events": %s}
          }
        }
        """
            .formatted(provisioning, containerState, groupState, groupEvents);
    try (JsonReader reader = JsonProviders.createReader(json)) {
      return GroupVerdict.of(ContainerGroupInner.fromJson(reader));
    }
  }

  @Test
  void aGroupBeingCreatedIsPending() throws Exception {
    WorkerStatus status =
        verdict("Creating", "Pending", "{\"state\": \"Waiting\", \"detailStatus\": \"\"}", "[]");

    assertThat(status.state()).isEqualTo(WorkerState.PENDING);
  }

  @Test
  void aRunningContainerIsRunning() throws Exception {
    WorkerStatus status =
        verdict(
            "Succeeded",
            "Running",
            "{\"state\": \"Running\", \"startTime\": \"2025-01-01T10:00:00Z\"}",
            "[]");

    assertThat(status.state()).isEqualTo(WorkerState.RUNNING);
  }

  @Test
  void aTerminatedContainerHasExitedWithItsCode() throws Exception {
    WorkerStatus ok =
        verdict(
            "Succeeded",
            "Succeeded",
            "{\"state\": \"Terminated\", \"exitCode\": 0, \"detailStatus\": \"Completed\"}",
            "[]");
    WorkerStatus killed =
        verdict(
            "Succeeded",
            "Failed",
            "{\"state\": \"Terminated\", \"exitCode\": 137, \"detailStatus\": \"Error\"}",
            "[]");

    assertThat(ok.state()).isEqualTo(WorkerState.EXITED);
    assertThat(ok.exitCode()).contains(0);
    assertThat(ok.detail()).isEqualTo("Completed");
    assertThat(killed.state()).isEqualTo(WorkerState.EXITED);
    assertThat(killed.exitCode()).contains(137);
  }

  @Test
  void aFailedProvisioningIsTheInfrastructuresFailureWithItsWarnings() throws Exception {
    WorkerStatus status =
        verdict(
            "Failed",
            "Pending",
            "{\"state\": \"Waiting\", \"detailStatus\": \"\"}",
            """
            [{"count": 3, "name": "Failed", "type": "Warning",
              "message": "Failed to pull image \\"hodei/agent-runtime:1.0\\""}]
            """);

    assertThat(status.state()).isEqualTo(WorkerState.FAILED);
    assertThat(status.detail())
        .startsWith(GroupVerdict.INFRASTRUCTURE)
        .contains("Failed to pull image");
  }

  @Test
  void aGroupBeingDeletedHasEnded() throws Exception {
    WorkerStatus status = verdict("Deleting", "Running", "{\"state\": \"Running\"}", "[]");

    assertThat(status.state()).isEqualTo(WorkerState.EXITED);
    assertThat(status.state().isFinal()).isTrue();
  }

  @Test
  void aStoppedGroupHasEnded() throws Exception {
    WorkerStatus status = verdict("Succeeded", "Stopped", "null", "[]");

    assertThat(status.state()).isEqualTo(WorkerState.EXITED);
    assertThat(status.detail()).contains("stopped");
  }
}
