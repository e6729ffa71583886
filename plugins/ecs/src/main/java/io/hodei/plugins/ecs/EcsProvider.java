package io.hodei.plugins.ecs;

import io.hodei.plugin.api.Capabilities;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderDescriptor;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import io.hodei.plugins.support.Daemons;
import io.hodei.plugins.support.Health;
import io.hodei.plugins.support.InstanceState;
import io.hodei.plugins.support.PluginVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;
import org.pf4j.Extension;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Workers as Amazon ECS tasks (Fargate, Fargate Spot or EC2): one task per worker from a task
 * definition shared by all workers of the same content, tagged with Hodei's ownership tags and
 * watched by polling for stops outside the host's control.
 */
@Extension
public class EcsProvider implements WorkerManagerProvider {

  static final String TYPE = "ecs";
  static final String ATTR_CLUSTER = "cluster";
  static final String ATTR_TASK_DEFINITION = "taskDefinition";
  static final String ATTR_CPU = "cpu";
  static final String ATTR_MEMORY = "memory";
  static final String ATTR_SIZE = "size";

  private static final Logger LOG = Logger.getLogger(EcsProvider.class.getName());
  private static final String VERSION = PluginVersion.of(EcsProvider.class, "plugin.properties");

  private volatile ProviderContext context;
  private final InstanceState<EcsSettings> state = new InstanceState<>();
  private AwsConnection connection;
  private WorkerTasks tasks;
  private TaskDefinitions definitions;
  private ScheduledExecutorService scheduler;
  private TaskWatch watch;

  @Override
  public ProviderDescriptor describe() {
    EcsSettings s = state.settingsOrNull();
    Capabilities capabilities =
        s == null
            ? new Capabilities(
                FargateSizes.LARGEST, Set.of("amd64"), Set.of(), 0, true, Optional.empty())
            : new Capabilities(
                s.maxPerWorker(),
                Set.of(s.architectureLabel()),
                Set.of(s.aws().region()),
                s.maxWorkers(),
                true,
                Optional.empty());
    return new ProviderDescriptor(TYPE, VERSION, capabilities);
  }

  @Override
  public synchronized void initialize(ProviderContext context) {
    if (this.context != null) {
      throw new ProviderException(ErrorCode.INTERNAL, "initialize() was called twice");
    }
    EcsSettings s = EcsSettings.read(context.instanceName(), context.config());
    this.connection = AwsConnection.open(s.instanceName(), s.aws(), context.credentials());
    String startedBy = OwnershipTags.startedBy(context.installationId(), s.instanceName());
    this.tasks =
        new WorkerTasks(
            connection, s.cluster(), startedBy, context.installationId(), s.instanceName());
    this.definitions =
        new TaskDefinitions(
            s.instanceName(),
            connection,
            OwnershipTags.owner(context.installationId(), s.instanceName()),
            s.taskFamilyPrefix() + "-" + startedBy.substring("hodei-".length()) + "-",
            context.clock(),
            s.taskDefinitionCleanupInterval());
    String threadName = "hodei-ecs-" + s.instanceName();
    this.scheduler = Daemons.scheduler(threadName);
    this.watch =
        new TaskWatch(s.instanceName(), tasks, definitions, context.events(), context.clock());
    state.opened(s.instanceName(), s);
    this.context = context;
    watch.start(scheduler, s.pollInterval(), s.taskDefinitionCleanupInterval());
    LOG.info(
        "provider instance '"
            + s.instanceName()
            + "' ready: tasks on cluster "
            + s.cluster()
            + " in "
            + s.aws().region()
            + " ("
            + s.placement().describe()
            + ", agent "
            + s.agentMode().name().toLowerCase(java.util.Locale.ROOT)
            + ")");
  }

  @Override
  public WorkerHandle provision(WorkerSpec spec) {
    EcsSettings s = state.require();
    TaskSize size = size(s, spec);
    if (s.maxWorkers() > 0 && list().size() >= s.maxWorkers()) {
      throw new ProviderException(
          ErrorCode.CAPACITY_EXHAUSTED,
          "provider instance '"
              + s.instanceName()
              + "' holds its maximum of "
              + s.maxWorkers()
              + " workers");
    }
    TaskDefinitionContent content =
        new TaskDefinitionContent(
            image(s, spec),
            s.agentCommand(),
            size,
            s.placement().compatibility(),
            s.network().mode(),
            s.cpuArchitecture(),
            s.executionRoleArn(),
            s.taskRoleArn(),
            s.logGroup(),
            s.aws().region(),
            s.agentMode() == EcsSettings.AgentMode.SIDECAR ? s.agentImage() : Optional.empty());
    LOG.info(
        "provider instance '"
            + s.instanceName()
            + "': starting worker "
            + spec.workerId()
            + " ("
            + size.describe()
            + ")");
    String definition = definitions.arnFor(content);
    Optional<RunTaskResponse> started = runTask(s, definition, spec);
    if (started.isEmpty()) {
      // Someone deregistered the definition this instance remembered: register it again, once.
      definitions.forget(definition);
      definition = definitions.arnFor(content);
      started = runTask(s, definition, spec);
    }
    RunTaskResponse response =
        started.orElseThrow(
            () ->
                new ProviderException(
                    ErrorCode.UNAVAILABLE,
                    "provider instance '"
                        + s.instanceName()
                        + "': ECS calls the task definition just registered inactive"));
    if (!response.hasTasks() || response.tasks().isEmpty()) {
      throw runTaskFailed(s, spec, response.failures());
    }
    Task task = response.tasks().get(0);
    return new WorkerHandle(
        spec.workerId(),
        task.taskArn(),
        Map.of(
            ATTR_CLUSTER, s.cluster(),
            ATTR_TASK_DEFINITION, task.taskDefinitionArn(),
            ATTR_CPU, Integer.toString(size.cpuUnits()),
            ATTR_MEMORY, Integer.toString(size.memoryMib()),
            ATTR_SIZE, size.describe()));
  }

  /** RunTask; empty when ECS says the task definition is no longer ACTIVE. */
  private Optional<RunTaskResponse> runTask(EcsSettings s, String definition, WorkerSpec spec) {
    return connection.call(
        "starting the task of worker " + spec.workerId(),
        ecs -> {
          try {
            return Optional.of(
                ecs.runTask(
                    WorkerTaskRequest.of(
                        s, context.installationId(), tasks.startedBy(), definition, spec)));
          } catch (ClientException e) {
            String message = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorMessage();
            if (message != null
                && message.toLowerCase(java.util.Locale.ROOT).contains("inactive")) {
              return Optional.empty();
            }
            throw e;
          }
        });
  }

  /** The task's size; fails when no size the placement offers holds the request. */
  private static TaskSize size(EcsSettings s, WorkerSpec spec) {
    Resources request = spec.resources();
    Optional<TaskSize> size =
        s.maxPerWorker().covers(request)
            ? (s.placement().fargate()
                ? FargateSizes.fit(request)
                : Optional.of(TaskSize.ec2(request)))
            : Optional.empty();
    return size.orElseThrow(
        () ->
            new ProviderException(
                ErrorCode.RESOURCES_UNAVAILABLE,
                "worker "
                    + spec.workerId()
                    + " asks for "
                    + (s.maxPerWorker().covers(request)
                        ? request + ", which no Fargate size holds"
                        : s.maxPerWorker().firstExcess(request))
                    + " on provider instance '"
                    + s.instanceName()
                    + "'"
                    + (s.placement().fargate()
                        ? "; Fargate offers at most 16 vCPU, 120 GiB and no GPUs: use an EC2"
                            + " instance for bigger workers"
                        : "; raise maxCpuMillis/maxMemoryMib/maxGpus if the cluster has such"
                            + " instances")));
  }

  private static String image(EcsSettings s, WorkerSpec spec) {
    return spec.image()
        .or(s::defaultImage)
        .or(s::agentImage)
        .orElseThrow(
            () ->
                new ProviderException(
                    ErrorCode.INVALID_SPEC,
                    "worker "
                        + spec.workerId()
                        + " names no image and provider instance '"
                        + s.instanceName()
                        + "' has neither 'defaultImage' nor 'agentImage'"));
  }

  private static ProviderException runTaskFailed(
      EcsSettings s, WorkerSpec spec, List<Failure> failures) {
    String reasons =
        failures == null || failures.isEmpty()
            ? "no task and no reason"
            : String.join(
                "; ",
                failures.stream()
                    .map(f -> f.reason() + (f.detail() == null ? "" : " (" + f.detail() + ")"))
                    .toList());
    // RESOURCE:* and AGENT mean no container instance had room; capacity comes and goes.
    boolean capacity =
        reasons.contains("RESOURCE:")
            || reasons.contains("AGENT")
            || reasons.toLowerCase(java.util.Locale.ROOT).contains("capacity");
    return new ProviderException(
        capacity ? ErrorCode.CAPACITY_EXHAUSTED : ErrorCode.INVALID_SPEC,
        "provider instance '"
            + s.instanceName()
            + "': ECS started no task for worker "
            + spec.workerId()
            + ": "
            + reasons);
  }

  @Override
  public WorkerStatus status(WorkerHandle handle) {
    EcsSettings s = state.require();
    return tasks
        .find(clusterOf(s, handle), handle.resourceId())
        .map(task -> TaskVerdict.of(task).toStatus())
        .orElseGet(
            () ->
                WorkerStatus.of(
                    WorkerState.NOT_FOUND, "ECS does not know task " + handle.resourceId()));
  }

  @Override
  public void terminate(WorkerHandle handle, TerminationReason reason) {
    EcsSettings s = state.require();
    String cluster = clusterOf(s, handle);
    watch.expectGone(handle.workerId());
    Optional<Task> task = tasks.find(cluster, handle.resourceId());
    if (task.isEmpty() || "STOPPED".equals(task.get().lastStatus())) {
      return;
    }
    if ("STOPPED".equals(task.get().desiredStatus())) {
      // Already stopping; a second StopTask would only repeat it.
      return;
    }
    LOG.info(
        "provider instance '"
            + s.instanceName()
            + "': stopping worker "
            + handle.workerId()
            + " ("
            + reason.describe()
            + ")");
    // StopTask's reason is limited to 255 characters and shown in the console.
    String text = reason.describe();
    String stopReason = text.length() > 255 ? text.substring(0, 255) : text;
    connection.call(
        "stopping the task of worker " + handle.workerId(),
        ecs -> ecs.stopTask(r -> r.cluster(cluster).task(handle.resourceId()).reason(stopReason)));
  }

  @Override
  public List<WorkerHandle> list() {
    EcsSettings s = state.require();
    return tasks.owned(DesiredStatus.RUNNING).stream()
        .map(
            task -> {
              String workerId = OwnershipTags.asMap(task.tags()).get(OwnershipTags.WORKER);
              return workerId == null
                  ? null
                  : new WorkerHandle(
                      workerId,
                      task.taskArn(),
                      Map.of(
                          ATTR_CLUSTER, s.cluster(),
                          ATTR_TASK_DEFINITION, String.valueOf(task.taskDefinitionArn())));
            })
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  @Override
  public ProviderHealth health() {
    EcsSettings s = state.require();
    try {
      List<Cluster> clusters =
          connection.call(
              "checking health",
              ecs -> ecs.describeClusters(r -> r.clusters(s.cluster())).clusters());
      if (clusters.isEmpty() || !"ACTIVE".equals(clusters.get(0).status())) {
        return ProviderHealth.unhealthy(
            "provider instance '"
                + s.instanceName()
                + "': cluster "
                + s.cluster()
                + (clusters.isEmpty() ? " does not exist" : " is " + clusters.get(0).status())
                + " in "
                + s.aws().region());
      }
      return ProviderHealth.healthy();
    } catch (ProviderException e) {
      return Health.of(e);
    }
  }

  @Override
  public synchronized void close() {
    if (!state.close()) {
      return;
    }
    if (watch != null) {
      watch.close();
    }
    Daemons.stop(scheduler);
    if (connection != null) {
      connection.close();
    }
  }

  /** Test access: one round of the task poll, as the scheduler runs it. */
  void pollNow() {
    state.require();
    watch.poll();
  }

  /** Test access: one round of the task definition cleanup. */
  void sweepNow() {
    state.require();
    watch.sweep();
  }

  private static String clusterOf(EcsSettings s, WorkerHandle handle) {
    return handle.attributes().getOrDefault(ATTR_CLUSTER, s.cluster());
  }
}
