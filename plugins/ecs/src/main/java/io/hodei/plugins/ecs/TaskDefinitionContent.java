package io.hodei.plugins.ecs;

import io.hodei.plugin.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.CPUArchitecture;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerCondition;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.OSFamily;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.ResourceType;

/**
 * Everything a worker's task definition holds. Workers with equal content share one task
 * definition: its family name carries the content's hash, so a definition is registered once and
 * reused, never once per worker. The per-worker parts (environment, tags) go into RunTask.
 */
record TaskDefinitionContent(
    String image,
    List<String> command,
    TaskSize size,
    Compatibility compatibility,
    String networkMode,
    String cpuArchitecture,
    Optional<String> executionRoleArn,
    Optional<String> taskRoleArn,
    Optional<String> logGroup,
    String region,
    Optional<String> sidecarImage) {

  /** The container that copies the agent in sidecar mode, and where it puts it. */
  static final String SIDECAR_CONTAINER = "hodei-agent";

  static final String AGENT_VOLUME = "hodei-agent";
  static final String AGENT_HOME = "/opt/hodei";
  private static final String AGENT_STAGING = "/hodei-agent";

  TaskDefinitionContent {
    command = List.copyOf(command);
  }

  /**
   * A stable hash of the content: the record's text, whose fields and their order are this class's
   * own, so it changes only when the content does. What the spec asked for is left out: requests
   * rounded to the same size share a definition.
   */
  String hash() {
    TaskSize effective =
        new TaskSize(
            Resources.NONE,
            size.cpuUnits(),
            size.memoryMib(),
            size.ephemeralStorageGib(),
            size.gpus(),
            size.fargate());
    return OwnershipTags.hash(
        new TaskDefinitionContent(
                image,
                command,
                effective,
                compatibility,
                networkMode,
                cpuArchitecture,
                executionRoleArn,
                taskRoleArn,
                logGroup,
                region,
                sidecarImage)
            .toString(),
        8);
  }

  /** The family name: {@code <prefix>-<owner hash>-<content hash>}. */
  String family(String ownerFamilyPrefix) {
    return ownerFamilyPrefix + hash();
  }

  RegisterTaskDefinitionRequest request(String family, Map<String, String> tags) {
    List<ContainerDefinition> containers = new ArrayList<>();
    ContainerDefinition.Builder worker =
        ContainerDefinition.builder()
            .name(TaskVerdict.WORKER_CONTAINER)
            .image(image)
            .essential(true)
            // An init process reaps the job's orphaned children and forwards StopTask's SIGTERM.
            .linuxParameters(l -> l.initProcessEnabled(true));
    if (!command.isEmpty()) {
      worker.command(command);
    }
    if (size.gpus() > 0) {
      worker.resourceRequirements(
          r -> r.type(ResourceType.GPU).value(Integer.toString(size.gpus())));
    }
    logGroup.ifPresent(
        group ->
            worker.logConfiguration(
                l ->
                    l.logDriver(LogDriver.AWSLOGS)
                        .options(
                            Map.of(
                                "awslogs-group", group,
                                "awslogs-region", region,
                                "awslogs-stream-prefix", "hodei"))));
    RegisterTaskDefinitionRequest.Builder request = RegisterTaskDefinitionRequest.builder();
    if (sidecarImage.isPresent()) {
      request.volumes(v -> v.name(AGENT_VOLUME));
      ContainerDefinition.Builder agent =
          ContainerDefinition.builder()
              .name(SIDECAR_CONTAINER)
              .image(sidecarImage.get())
              .essential(false)
              .command("cp", "-R", AGENT_HOME + "/.", AGENT_STAGING + "/")
              .mountPoints(m -> m.sourceVolume(AGENT_VOLUME).containerPath(AGENT_STAGING));
      logGroup.ifPresent(g -> agent.logConfiguration(worker.build().logConfiguration()));
      containers.add(agent.build());
      worker
          .mountPoints(m -> m.sourceVolume(AGENT_VOLUME).containerPath(AGENT_HOME).readOnly(true))
          .dependsOn(d -> d.containerName(SIDECAR_CONTAINER).condition(ContainerCondition.SUCCESS));
    }
    containers.add(0, worker.build());
    request
        .family(family)
        .requiresCompatibilities(compatibility)
        .networkMode(NetworkMode.fromValue(networkMode))
        .cpu(Integer.toString(size.cpuUnits()))
        .memory(Integer.toString(size.memoryMib()))
        .runtimePlatform(
            p ->
                p.cpuArchitecture(CPUArchitecture.fromValue(cpuArchitecture))
                    .operatingSystemFamily(OSFamily.LINUX))
        .containerDefinitions(containers)
        .tags(OwnershipTags.toTags(tags));
    if (size.ephemeralStorageGib() > 0) {
      request.ephemeralStorage(e -> e.sizeInGiB(size.ephemeralStorageGib()));
    }
    executionRoleArn.ifPresent(request::executionRoleArn);
    taskRoleArn.ifPresent(request::taskRoleArn);
    return request.build();
  }
}
