package io.hodei.plugin.api;

import java.util.Map;

/**
 * A provider's reference to one worker it started.
 *
 * @param workerId the host's worker id, as given in the {@link WorkerSpec}
 * @param resourceId the backend's own id: a process id, container id, pod name, task ARN
 * @param attributes whatever else the provider needs to find the worker again (namespace, region);
 *     persisted by the host and handed back unchanged
 */
public record WorkerHandle(String workerId, String resourceId, Map<String, String> attributes) {

  public WorkerHandle {
    if (workerId == null || workerId.isBlank()) {
      throw new IllegalArgumentException("workerId is required");
    }
    if (resourceId == null || resourceId.isBlank()) {
      throw new IllegalArgumentException("resourceId is required");
    }
    attributes = Map.copyOf(attributes);
  }

  public WorkerHandle(String workerId, String resourceId) {
    this(workerId, resourceId, Map.of());
  }
}
