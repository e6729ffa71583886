package io.hodei.plugins.ecs;

import io.hodei.plugin.api.WorkerSpec;
import java.util.List;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;

/**
 * The RunTask request for one worker: the shared task definition, the worker's environment as a
 * container override (ECS has no per-task secrets; see docs/providers/ecs.md on the bootstrap
 * token), the ownership tags, and a client token that makes a retried provision start one task.
 */
final class WorkerTaskRequest {

  private WorkerTaskRequest() {}

  static RunTaskRequest of(
      EcsSettings settings,
      String installationId,
      String startedBy,
      String taskDefinitionArn,
      WorkerSpec spec) {
    List<KeyValuePair> environment =
        new TreeMap<>(spec.env())
            .entrySet().stream()
                .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build())
                .toList();
    RunTaskRequest.Builder request =
        RunTaskRequest.builder()
            .cluster(settings.cluster())
            .taskDefinition(taskDefinitionArn)
            .count(1)
            .startedBy(startedBy)
            .clientToken(clientToken(installationId, settings.instanceName(), spec.workerId()))
            .enableECSManagedTags(true)
            .tags(
                OwnershipTags.forWorker(
                    spec.labels(), installationId, settings.instanceName(), spec.workerId()))
            .overrides(
                o ->
                    o.containerOverrides(
                        c -> c.name(TaskVerdict.WORKER_CONTAINER).environment(environment)));
    settings.placement().applyTo(request);
    if (settings.placement().fargate()) {
      settings.platformVersion().ifPresent(request::platformVersion);
    }
    EcsSettings.Network network = settings.network();
    if (network.awsvpc()) {
      request.networkConfiguration(
          n ->
              n.awsvpcConfiguration(
                  a -> {
                    a.subnets(network.subnets())
                        .assignPublicIp(
                            network.assignPublicIp()
                                ? AssignPublicIp.ENABLED
                                : AssignPublicIp.DISABLED);
                    if (!network.securityGroups().isEmpty()) {
                      a.securityGroups(network.securityGroups());
                    }
                  }));
    }
    return request.build();
  }

  /**
   * RunTask's idempotency token (at most 64 characters): the same worker of the same installation
   * and instance always gets the same one, so a provision retried after a timeout finds the task
   * the first call started instead of starting a second.
   */
  static String clientToken(String installationId, String instanceName, String workerId) {
    return "hodei-" + OwnershipTags.hash(installationId + "/" + instanceName + "/" + workerId, 16);
  }
}
