package io.hodei.plugins.cloudrun.fake;

import com.google.cloud.run.v2.Condition;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionReference;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.TaskTemplate;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The state behind the fake Cloud Run API: jobs, executions and long-running operations, with the
 * transitions the real service makes (an execution is pending, running, then succeeded, failed or
 * cancelled; RunJob's operation is done only once its execution is).
 */
final class CloudRunStore {

  private final Map<String, Job> jobs = new TreeMap<>();
  private final Map<String, Execution> executions = new TreeMap<>();
  private final Map<String, Map<String, String>> taskEnvironments = new LinkedHashMap<>();
  private final Map<String, PendingOperation> operations = new LinkedHashMap<>();
  private final Map<String, String> taskIds = new LinkedHashMap<>();

  /** An operation whose result is computed when polled, and done after some polls. */
  private static final class PendingOperation {
    final String name;
    final Supplier<Message> metadata;
    final Supplier<Optional<? extends Message>> result;
    int pollsLeft;

    PendingOperation(
        String name,
        Supplier<Message> metadata,
        Supplier<Optional<? extends Message>> result,
        int polls) {
      this.name = name;
      this.metadata = metadata;
      this.result = result;
      this.pollsLeft = polls;
    }

    Operation snapshot(boolean countPoll) {
      Operation.Builder operation =
          Operation.newBuilder().setName(name).setMetadata(Any.pack(metadata.get()));
      Optional<? extends Message> done = pollsLeft <= 0 ? result.get() : Optional.empty();
      if (countPoll) {
        pollsLeft--;
      }
      done.ifPresent(response -> operation.setDone(true).setResponse(Any.pack(response)));
      return operation.build();
    }
  }

  // ---- Jobs ----

  synchronized Operation createJob(
      String location, String jobId, Job job, String creator, int polls) {
    String name = location + "/jobs/" + jobId;
    if (jobs.containsKey(name)) {
      throw new ApiError(409, "ALREADY_EXISTS", "Resource '" + name + "' already exists");
    }
    Timestamp now = now();
    Job stored =
        job.toBuilder()
            .setName(name)
            .setUid(UUID.randomUUID().toString())
            .setGeneration(1)
            .setObservedGeneration(1)
            .setCreateTime(now)
            .setUpdateTime(now)
            .setCreator(creator)
            .setLastModifier(creator)
            .setTerminalCondition(
                Condition.newBuilder()
                    .setType("Ready")
                    .setState(Condition.State.CONDITION_SUCCEEDED)
                    .setLastTransitionTime(now))
            .setEtag("\"" + UUID.randomUUID() + "\"")
            .build();
    jobs.put(name, stored);
    return operation(
        location,
        () -> jobs.getOrDefault(name, stored),
        () -> Optional.ofNullable(jobs.get(name)),
        polls);
  }

  synchronized Job getJob(String name) {
    Job job = jobs.get(name);
    if (job == null) {
      throw ApiError.notFound(name);
    }
    return job;
  }

  synchronized List<Job> listJobs(String location) {
    return jobs.values().stream().filter(j -> j.getName().startsWith(location + "/jobs/")).toList();
  }

  synchronized Operation deleteJob(String location, String name) {
    Job job = getJob(name);
    boolean running =
        executions.values().stream()
            .anyMatch(e -> e.getName().startsWith(name + "/executions/") && !e.hasCompletionTime());
    if (running) {
      throw new ApiError(
          400,
          "FAILED_PRECONDITION",
          "Job '" + name + "' has running executions; cancel them first");
    }
    jobs.remove(name);
    executions.keySet().removeIf(e -> e.startsWith(name + "/executions/"));
    Job deleted = job.toBuilder().setDeleteTime(now()).build();
    return operation(location, () -> deleted, () -> Optional.of(deleted), 0);
  }

  // ---- Executions ----

  /** Starts an execution of a job with the request's overrides; returns its operation. */
  synchronized Operation runJob(
      String location, String jobName, RunJobRequest.Overrides overrides, String creator) {
    Job job = getJob(jobName);
    TaskTemplate template = withOverrides(job.getTemplate().getTemplate(), overrides);
    String jobId = jobName.substring(jobName.lastIndexOf('/') + 1);
    String executionId = jobId + "-" + randomSuffix();
    String name = jobName + "/executions/" + executionId;
    Timestamp now = now();
    int taskCount =
        overrides.getTaskCount() > 0 ? overrides.getTaskCount() : job.getTemplate().getTaskCount();
    Execution execution =
        Execution.newBuilder()
            .setName(name)
            .setUid(UUID.randomUUID().toString())
            .setCreator(creator)
            .setGeneration(1)
            .setObservedGeneration(1)
            .putAllLabels(job.getTemplate().getLabelsMap())
            .setCreateTime(now)
            .setUpdateTime(now)
            .setJob(jobId)
            .setParallelism(job.getTemplate().getParallelism())
            .setTaskCount(taskCount)
            .setTemplate(template)
            .setReconciling(true)
            .addConditions(condition("ResourcesAvailable", Condition.State.CONDITION_PENDING, ""))
            .addConditions(condition("Started", Condition.State.CONDITION_PENDING, ""))
            .addConditions(condition("Completed", Condition.State.CONDITION_PENDING, ""))
            .setLogUri("https://console.cloud.google.com/logs/viewer?execution=" + executionId)
            .setEtag("\"" + UUID.randomUUID() + "\"")
            .build();
    executions.put(name, execution);
    taskIds.put(name, executionId + "-task0");
    taskEnvironments.put(name, environmentOf(jobName, executionId, taskCount, template));
    jobs.put(
        jobName,
        job.toBuilder()
            .setExecutionCount(job.getExecutionCount() + 1)
            .setLatestCreatedExecution(
                ExecutionReference.newBuilder().setName(name).setCreateTime(now))
            .build());
    // RunJob's operation is done when its execution is, as in Cloud Run (gcloud's --wait).
    return operation(
        location,
        () -> executions.getOrDefault(name, execution),
        () -> Optional.ofNullable(executions.get(name)).filter(Execution::hasCompletionTime),
        0);
  }

  synchronized Execution getExecution(String name) {
    Execution execution = executions.get(name);
    if (execution == null) {
      throw ApiError.notFound(name);
    }
    return execution;
  }

  synchronized List<Execution> listExecutions(String jobName) {
    getJob(jobName);
    return executions.values().stream()
        .filter(e -> e.getName().startsWith(jobName + "/executions/"))
        .toList();
  }

  /** Cancels a running execution; one that already ended is answered as it is. */
  synchronized Operation cancelExecution(String location, String name) {
    Execution execution = getExecution(name);
    if (!execution.hasCompletionTime()) {
      finish(
          name,
          b ->
              b.setCancelledCount(execution.getTaskCount())
                  .addConditions(
                      condition(
                              "Completed",
                              Condition.State.CONDITION_FAILED,
                              "The execution was cancelled.")
                          .setExecutionReason(Condition.ExecutionReason.CANCELLED)));
    }
    return operation(
        location, () -> executions.get(name), () -> Optional.ofNullable(executions.get(name)), 1);
  }

  synchronized Operation deleteExecution(String location, String name) {
    Execution execution = getExecution(name);
    executions.remove(name);
    Execution deleted = execution.toBuilder().setDeleteTime(now()).build();
    return operation(location, () -> deleted, () -> Optional.of(deleted), 1);
  }

  /** The task started: its container runs. */
  synchronized void markRunning(String name) {
    Execution execution = executions.get(name);
    if (execution == null || execution.hasCompletionTime() || execution.getRunningCount() > 0) {
      return;
    }
    Timestamp now = now();
    executions.put(
        name,
        replaceConditions(
                execution.toBuilder(),
                condition("ResourcesAvailable", Condition.State.CONDITION_SUCCEEDED, ""),
                condition("Started", Condition.State.CONDITION_SUCCEEDED, ""),
                condition("Completed", Condition.State.CONDITION_PENDING, ""))
            .setStartTime(now)
            .setUpdateTime(now)
            .setReconciling(false)
            .setRunningCount(1)
            .build());
  }

  /** The task's container exited with {@code exitCode}; maxRetries is honoured by not retrying. */
  synchronized boolean markExited(String name, int exitCode) {
    Execution execution = executions.get(name);
    if (execution == null || execution.hasCompletionTime()) {
      return false;
    }
    String task = taskIds.get(name);
    finish(
        name,
        b ->
            exitCode == 0
                ? b.setSucceededCount(1)
                    .addConditions(
                        condition(
                            "Completed",
                            Condition.State.CONDITION_SUCCEEDED,
                            "Execution completed successfully in 1 task."))
                : b.setFailedCount(1)
                    .addConditions(
                        condition(
                                "Completed",
                                Condition.State.CONDITION_FAILED,
                                "Task "
                                    + task
                                    + " failed with message: The container exited with an error (exit code "
                                    + exitCode
                                    + ").")
                            .setExecutionReason(Condition.ExecutionReason.NON_ZERO_EXIT_CODE)));
    return true;
  }

  /** The platform failed the execution (e.g. the image could not be pulled). */
  synchronized void markInfrastructureFailure(
      String name, Condition.CommonReason reason, String message) {
    finish(
        name,
        b ->
            b.setFailedCount(1)
                .addConditions(
                    condition("Completed", Condition.State.CONDITION_FAILED, message)
                        .setReason(reason)));
  }

  /** Someone deleted the execution behind Hodei's back. */
  synchronized void removeExecution(String name) {
    executions.remove(name);
  }

  synchronized Map<String, String> environmentOf(String executionName) {
    Map<String, String> env = taskEnvironments.get(executionName);
    if (env == null) {
      throw new IllegalArgumentException("no task ever ran for " + executionName);
    }
    return env;
  }

  synchronized Map<String, Execution> executions() {
    return new LinkedHashMap<>(executions);
  }

  synchronized Map<String, Job> jobs() {
    return new LinkedHashMap<>(jobs);
  }

  synchronized Operation operation(String name, boolean countPoll) {
    PendingOperation operation = operations.get(name);
    if (operation == null) {
      throw ApiError.notFound(name);
    }
    return operation.snapshot(countPoll);
  }

  // ---- Building blocks ----

  private void finish(String name, java.util.function.UnaryOperator<Execution.Builder> outcome) {
    Execution execution = getExecution(name);
    Timestamp now = now();
    Execution.Builder builder = execution.toBuilder();
    List<Condition> kept = new ArrayList<>(builder.getConditionsList());
    kept.removeIf(c -> c.getType().equals("Completed"));
    builder.clearConditions().addAllConditions(kept);
    executions.put(
        name,
        outcome
            .apply(builder)
            .setRunningCount(0)
            .setReconciling(false)
            .setCompletionTime(now)
            .setUpdateTime(now)
            .build());
  }

  private static Execution.Builder replaceConditions(
      Execution.Builder builder, Condition.Builder... conditions) {
    builder.clearConditions();
    for (Condition.Builder condition : conditions) {
      builder.addConditions(condition);
    }
    return builder;
  }

  private Operation operation(
      String location,
      Supplier<Message> metadata,
      Supplier<Optional<? extends Message>> result,
      int polls) {
    String name = location + "/operations/" + UUID.randomUUID();
    PendingOperation operation = new PendingOperation(name, metadata, result, polls);
    operations.put(name, operation);
    return operation.snapshot(false);
  }

  /**
   * The container's environment: the job template's variables, replaced or extended by the
   * overrides, plus the ones Cloud Run sets for every task.
   */
  private static Map<String, String> environmentOf(
      String jobName, String executionId, int taskCount, TaskTemplate template) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : template.getContainers(0).getEnvList()) {
      env.put(var.getName(), var.getValue());
    }
    env.put("CLOUD_RUN_JOB", jobName.substring(jobName.lastIndexOf('/') + 1));
    env.put("CLOUD_RUN_EXECUTION", executionId);
    env.put("CLOUD_RUN_TASK_INDEX", "0");
    env.put("CLOUD_RUN_TASK_ATTEMPT", "0");
    env.put("CLOUD_RUN_TASK_COUNT", String.valueOf(taskCount));
    return env;
  }

  private static TaskTemplate withOverrides(
      TaskTemplate template, RunJobRequest.Overrides overrides) {
    TaskTemplate.Builder builder = template.toBuilder();
    for (RunJobRequest.Overrides.ContainerOverride override :
        overrides.getContainerOverridesList()) {
      int index = -1;
      for (int i = 0; i < builder.getContainersCount(); i++) {
        if (builder.getContainers(i).getName().equals(override.getName())
            || (override.getName().isEmpty() && builder.getContainersCount() == 1)) {
          index = i;
        }
      }
      if (index < 0) {
        throw ApiError.invalid(
            "overrides.container_overrides: no container named '"
                + override.getName()
                + "' in the job");
      }
      Container.Builder container = builder.getContainers(index).toBuilder();
      Map<String, EnvVar> env = new LinkedHashMap<>();
      container.getEnvList().forEach(v -> env.put(v.getName(), v));
      override.getEnvList().forEach(v -> env.put(v.getName(), v));
      container.clearEnv().addAllEnv(env.values());
      if (override.getClearArgs()) {
        container.clearArgs();
      }
      if (override.getArgsCount() > 0) {
        container.clearArgs().addAllArgs(override.getArgsList());
      }
      builder.setContainers(index, container);
    }
    if (overrides.hasTimeout()) {
      builder.setTimeout(overrides.getTimeout());
    }
    return builder.build();
  }

  private static Condition.Builder condition(String type, Condition.State state, String message) {
    return Condition.newBuilder()
        .setType(type)
        .setState(state)
        .setMessage(message)
        .setLastTransitionTime(now());
  }

  private static String randomSuffix() {
    String letters = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(letters.charAt(ThreadLocalRandom.current().nextInt(letters.length())));
    }
    return suffix.toString();
  }

  private static Timestamp now() {
    Instant now = Instant.now();
    return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
  }
}
