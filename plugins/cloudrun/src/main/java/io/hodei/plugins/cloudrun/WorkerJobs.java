package io.hodei.plugins.cloudrun;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.ExecutionTemplate;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.ResourceRequirements;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.TaskTemplate;
import com.google.cloud.run.v2.VpcAccess;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Cloud Run is asked for one worker: a job whose content (image, size, settings, owner) names
 * it, so that workers of the same shape share one job, and the per-execution overrides that carry
 * what is particular to the worker (its environment, including the bootstrap token, and its
 * lifetime).
 */
final class WorkerJobs {

  /** The one container of every worker job. */
  static final String CONTAINER = "worker";

  /** Cloud Run's CPU limits for jobs, in cores. */
  private static final List<Integer> CPU_STEPS = List.of(1, 2, 4, 6, 8);

  private final CloudRunSettings settings;
  private final Map<String, String> ownerLabels;

  WorkerJobs(CloudRunSettings settings, Map<String, String> ownerLabels) {
    this.settings = settings;
    this.ownerLabels = ownerLabels;
  }

  /** A job to create (its id, e.g. {@code hodei-3f2a...}, and body) for workers like this one. */
  record JobRequest(String jobId, Job job) {
    String fullName(CloudRunSettings settings) {
      return settings.location() + "/jobs/" + jobId;
    }
  }

  JobRequest jobFor(WorkerSpec spec, String image) {
    ResourceRequirements resources = limits(spec.resources());
    Container.Builder container =
        Container.newBuilder()
            .setName(CONTAINER)
            .setImage(image)
            .setResources(resources)
            .addEnv(EnvVar.newBuilder().setName("HODEI_WORK_DIR").setValue(settings.workDir()));
    if (!settings.agentCommand().isEmpty()) {
      container.addCommand(settings.agentCommand().get(0));
      container.addAllArgs(settings.agentCommand().subList(1, settings.agentCommand().size()));
    }
    TaskTemplate.Builder task =
        TaskTemplate.newBuilder()
            .addContainers(container)
            // A retry is the control plane's decision, with a fresh bootstrap token.
            .setMaxRetries(settings.maxRetries())
            .setTimeout(protoDuration(CloudRunSettings.MAX_TASK_TIMEOUT));
    settings.serviceAccount().ifPresent(task::setServiceAccount);
    settings
        .vpcConnector()
        .ifPresent(
            connector ->
                task.setVpcAccess(
                    VpcAccess.newBuilder()
                        .setConnector(connector)
                        .setEgress(VpcAccess.VpcEgress.valueOf(settings.vpcEgress()))));
    Job.Builder job =
        Job.newBuilder()
            .setTemplate(
                ExecutionTemplate.newBuilder()
                    .putAllLabels(ownerLabels)
                    .setTaskCount(1)
                    .setParallelism(1)
                    .setTemplate(task));
    // The hash covers everything above, owner labels included, so two installations never share
    // a job and a changed setting makes a new one instead of silently altering running workers.
    String hash = OwnershipLabels.hash(job.build().toString(), 8);
    job.putAllLabels(ownerLabels).putLabels(OwnershipLabels.TEMPLATE, hash);
    job.getTemplateBuilder().putLabels(OwnershipLabels.TEMPLATE, hash);
    return new JobRequest("hodei-" + hash, job.build());
  }

  /**
   * The overrides of one run: the spec's environment (sorted, so requests are reproducible) and its
   * lifetime as the task timeout; one task, so one worker per execution.
   */
  RunJobRequest.Overrides overridesFor(WorkerSpec spec) {
    RunJobRequest.Overrides.ContainerOverride.Builder container =
        RunJobRequest.Overrides.ContainerOverride.newBuilder().setName(CONTAINER);
    new TreeMap<>(spec.env())
        .forEach(
            (name, value) -> container.addEnv(EnvVar.newBuilder().setName(name).setValue(value)));
    Duration lifetime =
        spec.maxLifetime().compareTo(CloudRunSettings.MAX_TASK_TIMEOUT) > 0
            ? CloudRunSettings.MAX_TASK_TIMEOUT
            : spec.maxLifetime();
    return RunJobRequest.Overrides.newBuilder()
        .addContainerOverrides(container)
        .setTaskCount(1)
        .setTimeout(protoDuration(lifetime))
        .build();
  }

  /**
   * Cloud Run's limits for a request: CPU rounded up to a whole number of cores it offers, memory
   * (plus the disk asked for, since a Cloud Run container's file system lives in its memory)
   * rounded up to whole MiB, at least 512 MiB.
   */
  static ResourceRequirements limits(Resources request) {
    long cores = Math.max(1, (request.cpuMillis() + 999) / 1000);
    int cpu =
        CPU_STEPS.stream()
            .filter(step -> step >= cores)
            .findFirst()
            .orElse(CPU_STEPS.get(CPU_STEPS.size() - 1));
    long memory = Math.max(512, request.memoryMib() + request.diskMib());
    return ResourceRequirements.newBuilder()
        .putLimits("cpu", String.valueOf(cpu))
        .putLimits("memory", memory + "Mi")
        .build();
  }

  private static com.google.protobuf.Duration protoDuration(Duration duration) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(duration.toSeconds()).build();
  }
}
