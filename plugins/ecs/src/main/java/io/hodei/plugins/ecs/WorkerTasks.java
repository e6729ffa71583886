package io.hodei.plugins.ecs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * Finds this instance's worker tasks: ListTasks narrowed by {@code startedBy}, then DescribeTasks
 * with their tags, which decide ownership.
 */
final class WorkerTasks {

  /** DescribeTasks takes at most this many tasks per call. */
  private static final int DESCRIBE_BATCH = 100;

  private final AwsConnection connection;
  private final String cluster;
  private final String startedBy;
  private final String installationId;
  private final String instanceName;

  WorkerTasks(
      AwsConnection connection,
      String cluster,
      String startedBy,
      String installationId,
      String instanceName) {
    this.connection = connection;
    this.cluster = cluster;
    this.startedBy = startedBy;
    this.installationId = installationId;
    this.instanceName = instanceName;
  }

  String startedBy() {
    return startedBy;
  }

  /**
   * This instance's tasks whose desired status is {@code desired}: RUNNING holds every task not yet
   * told to stop (also those still provisioning), STOPPED the ones ECS still remembers.
   */
  List<Task> owned(DesiredStatus desired) {
    List<String> arns = new ArrayList<>();
    connection.call(
        "listing tasks",
        ecs -> {
          ecs.listTasksPaginator(
                  r -> r.cluster(cluster).startedBy(startedBy).desiredStatus(desired))
              .taskArns()
              .forEach(arns::add);
          return null;
        });
    return describe(arns).stream()
        .filter(t -> OwnershipTags.ownedBy(t.tags(), installationId, instanceName))
        .toList();
  }

  /** The task behind {@code arn} in {@code taskCluster}; empty when ECS does not know it. */
  Optional<Task> find(String taskCluster, String arn) {
    return connection.call(
        "describing task " + arn,
        ecs ->
            ecs
                .describeTasks(r -> r.cluster(taskCluster).tasks(arn).include(TaskField.TAGS))
                .tasks()
                .stream()
                .findFirst());
  }

  private List<Task> describe(List<String> arns) {
    List<Task> tasks = new ArrayList<>();
    for (int from = 0; from < arns.size(); from += DESCRIBE_BATCH) {
      List<String> batch = arns.subList(from, Math.min(arns.size(), from + DESCRIBE_BATCH));
      tasks.addAll(
          connection.call(
              "describing " + batch.size() + " tasks",
              ecs ->
                  ecs.describeTasks(r -> r.cluster(cluster).tasks(batch).include(TaskField.TAGS))
                      .tasks()));
    }
    return tasks;
  }
}
