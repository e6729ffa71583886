package io.hodei.plugins.cloudrun;

import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionName;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.ListJobsRequest;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.longrunning.Operation;
import io.hodei.plugin.api.Capabilities;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderDescriptor;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import io.hodei.plugins.support.Health;
import io.hodei.plugins.support.InstanceState;
import io.hodei.plugins.support.PluginVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.pf4j.Extension;

/**
 * Workers as Google Cloud Run job executions: one job per worker shape (reused by every worker of
 * that shape), one execution per worker, started with the worker's environment as overrides.
 */
@Extension
public class CloudRunProvider implements WorkerManagerProvider {

  static final String TYPE = "cloudrun";
  static final String ATTR_JOB = "job";

  private static final Logger LOG = Logger.getLogger(CloudRunProvider.class.getName());
  private static final String VERSION =
      PluginVersion.of(CloudRunProvider.class, "plugin.properties");

  private final InstanceState<CloudRunSettings> state = new InstanceState<>();
  private Map<String, String> ownerLabels;
  private CloudRunClients clients;
  private WorkerJobs jobs;
  private JobCatalog catalog;
  private ExecutionWatch watch;

  @Override
  public ProviderDescriptor describe() {
    CloudRunSettings s = state.settingsOrNull();
    Capabilities capabilities =
        s == null
            ? new Capabilities(
                CloudRunSettings.defaultMaxPerWorker(),
                Set.of("amd64"),
                Set.of(),
                0,
                true,
                Optional.empty())
            : new Capabilities(
                s.maxPerWorker(),
                Set.of("amd64"),
                Set.of(s.region()),
                s.maxWorkers(),
                true,
                s.costPerCoreHour());
    return new ProviderDescriptor(TYPE, VERSION, capabilities);
  }

  @Override
  public synchronized void initialize(ProviderContext context) {
    if (state.settingsOrNull() != null) {
      throw new ProviderException(ErrorCode.INTERNAL, "initialize() was called twice");
    }
    CloudRunSettings s = CloudRunSettings.read(context.instanceName(), context.config());
    this.ownerLabels = OwnershipLabels.owner(context.installationId(), context.instanceName());
    this.jobs = new WorkerJobs(s, ownerLabels);
    this.clients = CloudRunClients.open(s, context.credentials());
    this.catalog = new JobCatalog(s, clients);
    this.watch =
        new ExecutionWatch(
            s.instanceName(), this::ownedExecutions, context.events(), context.clock());
    state.opened(s.instanceName(), s);
    if (!s.watchInterval().isZero() && !s.watchInterval().isNegative()) {
      watch.start(s.watchInterval());
    }
    LOG.info(
        "provider instance '"
            + s.instanceName()
            + "' ready: Cloud Run jobs in "
            + s.location()
            + " as "
            + clients.clients().identity());
  }

  @Override
  public WorkerHandle provision(WorkerSpec spec) {
    CloudRunSettings s = state.require();
    long memoryWithDisk = spec.resources().memoryMib() + spec.resources().diskMib();
    if (!s.maxPerWorker().covers(spec.resources())
        || memoryWithDisk > s.maxPerWorker().memoryMib()) {
      throw new ProviderException(
          ErrorCode.RESOURCES_UNAVAILABLE,
          "worker "
              + spec.workerId()
              + " asks for "
              + (s.maxPerWorker().covers(spec.resources())
                  ? memoryWithDisk
                      + " MiB of memory and disk together (a Cloud Run container's disk is in"
                      + " its memory; at most "
                      + s.maxPerWorker().memoryMib()
                      + " MiB)"
                  : s.maxPerWorker().firstExcess(spec.resources()))
              + " on provider instance '"
              + s.instanceName()
              + "'; Cloud Run jobs offer at most 8 CPUs and 32 GiB and no GPUs here");
    }
    if (s.maxWorkers() > 0 && list().size() >= s.maxWorkers()) {
      throw new ProviderException(
          ErrorCode.CAPACITY_EXHAUSTED,
          "provider instance '"
              + s.instanceName()
              + "' holds its maximum of "
              + s.maxWorkers()
              + " workers");
    }
    String image =
        spec.image()
            .or(s::defaultImage)
            .orElseThrow(
                () ->
                    new ProviderException(
                        ErrorCode.INVALID_SPEC,
                        "worker "
                            + spec.workerId()
                            + " names no image and provider instance '"
                            + s.instanceName()
                            + "' has no 'defaultImage'"));
    WorkerJobs.JobRequest request = jobs.jobFor(spec, image);
    String jobName = request.fullName(s);
    catalog.ensure(request);
    Optional<Execution> existing = runningExecutionOf(jobName, spec.workerId());
    if (existing == null) {
      // The job was deleted outside Hodei since we last saw it: make it again.
      catalog.forget(jobName);
      catalog.ensure(request);
      existing = Optional.empty();
    }
    if (existing.isPresent()) {
      // A retried provision: the first call got through.
      return handleOf(spec.workerId(), existing.get());
    }
    RunJobRequest run =
        RunJobRequest.newBuilder().setName(jobName).setOverrides(jobs.overridesFor(spec)).build();
    Execution execution;
    try {
      execution = runJob(s.instanceName(), run, spec.workerId());
    } catch (ProviderException e) {
      if (CloudRunErrors.codeOf(e.getCause()) != StatusCode.Code.NOT_FOUND) {
        throw e;
      }
      // The job was deleted outside Hodei since we last saw it: make it again, once.
      catalog.forget(jobName);
      catalog.ensure(request);
      execution = runJob(s.instanceName(), run, spec.workerId());
    }
    return handleOf(spec.workerId(), execution);
  }

  /**
   * Starts one execution. RunJob's long-running operation ends only when the execution does, so it
   * is not awaited: the execution it started is in the operation's metadata.
   */
  private Execution runJob(String instanceName, RunJobRequest request, String workerId) {
    return clients.call(
        "starting an execution of " + request.getName() + " for worker " + workerId,
        c -> {
          Operation operation = c.jobs().runJobCallable().call(request);
          if (operation.hasError()) {
            throw new ProviderException(
                ErrorCode.INTERNAL,
                "provider instance '"
                    + instanceName
                    + "': RunJob of "
                    + request.getName()
                    + " failed: "
                    + operation.getError().getMessage());
          }
          if (!operation.getMetadata().is(Execution.class)) {
            throw new ProviderException(
                ErrorCode.INTERNAL,
                "provider instance '"
                    + instanceName
                    + "': RunJob of "
                    + request.getName()
                    + " answered an operation without the execution in its metadata: "
                    + operation.getName());
          }
          return operation.getMetadata().unpack(Execution.class);
        });
  }

  /** The live execution started for this worker, empty if none, null if the job is gone. */
  private Optional<Execution> runningExecutionOf(String jobName, String workerId) {
    return clients.call(
        "looking for an execution of worker " + workerId,
        c -> {
          Iterable<Execution> executions;
          try {
            executions = c.executions().listExecutions(jobName).iterateAll();
          } catch (NotFoundException e) {
            return null;
          }
          for (Execution execution : executions) {
            if (!execution.hasDeleteTime()
                && !execution.hasCompletionTime()
                && ExecutionVerdict.workerIdOf(execution).filter(workerId::equals).isPresent()) {
              return Optional.of(execution);
            }
          }
          return Optional.<Execution>empty();
        });
  }

  @Override
  public WorkerStatus status(WorkerHandle handle) {
    CloudRunSettings s = state.require();
    if (!ExecutionName.isParsableFrom(handle.resourceId())) {
      return WorkerStatus.of(WorkerState.NOT_FOUND, "not a Cloud Run execution name");
    }
    return clients.call(
        "reading the status of worker " + handle.workerId(),
        c -> {
          try {
            return ExecutionVerdict.of(c.executions().getExecution(handle.resourceId()));
          } catch (NotFoundException e) {
            return WorkerStatus.of(
                WorkerState.NOT_FOUND, "no execution " + handle.resourceId() + " in " + s.region());
          }
        });
  }

  @Override
  public void terminate(WorkerHandle handle, TerminationReason reason) {
    CloudRunSettings s = state.require();
    if (!ExecutionName.isParsableFrom(handle.resourceId())) {
      return;
    }
    LOG.info(
        "provider instance '"
            + s.instanceName()
            + "': terminating worker "
            + handle.workerId()
            + " ("
            + reason.describe()
            + ")");
    watch.expectGone(handle.workerId());
    String name = handle.resourceId();
    long timeoutMillis = s.operationTimeout().toMillis() + 5_000;
    clients.call(
        "terminating worker " + handle.workerId() + " (" + name + ")",
        c -> {
          Execution execution;
          try {
            execution = c.executions().getExecution(name);
          } catch (NotFoundException e) {
            return null;
          }
          if (!execution.hasCompletionTime()) {
            try {
              c.executions().cancelExecutionAsync(name).get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
              StatusCode.Code code = CloudRunErrors.codeOf(e);
              if (code == StatusCode.Code.NOT_FOUND) {
                return null;
              }
              // FAILED_PRECONDITION: it ended meanwhile; deleting it is all that is left.
              if (code != StatusCode.Code.FAILED_PRECONDITION) {
                throw e;
              }
            }
          }
          try {
            c.executions().deleteExecutionAsync(name).get(timeoutMillis, TimeUnit.MILLISECONDS);
          } catch (ExecutionException e) {
            if (CloudRunErrors.codeOf(e) != StatusCode.Code.NOT_FOUND) {
              throw e;
            }
          }
          return null;
        });
  }

  @Override
  public List<WorkerHandle> list() {
    state.require();
    List<WorkerHandle> handles = new ArrayList<>();
    ownedExecutions().forEach((workerId, execution) -> handles.add(handleOf(workerId, execution)));
    return handles;
  }

  /**
   * Every execution of this instance's jobs that is not being deleted, by worker id. Cloud Run
   * cannot filter jobs by label, so every job of the region is read and filtered here.
   */
  private Map<String, Execution> ownedExecutions() {
    CloudRunSettings s = state.require();
    return clients.call(
        "listing workers",
        c -> {
          Map<String, Execution> owned = new LinkedHashMap<>();
          for (Job job : c.jobs().listJobs(s.location()).iterateAll()) {
            if (!OwnershipLabels.owns(ownerLabels, job.getLabelsMap())) {
              continue;
            }
            for (Execution execution : c.executions().listExecutions(job.getName()).iterateAll()) {
              if (!execution.hasDeleteTime()) {
                ExecutionVerdict.workerIdOf(execution)
                    .ifPresent(workerId -> owned.put(workerId, execution));
              }
            }
          }
          return owned;
        });
  }

  @Override
  public ProviderHealth health() {
    CloudRunSettings s = state.require();
    try {
      clients.call(
          "checking health",
          c ->
              c.jobs()
                  .listJobsCallable()
                  .call(
                      ListJobsRequest.newBuilder().setParent(s.location()).setPageSize(1).build()));
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
    if (clients != null) {
      clients.close();
    }
  }

  private static WorkerHandle handleOf(String workerId, Execution execution) {
    String name = execution.getName();
    String job = name.substring(0, name.indexOf("/executions/"));
    return new WorkerHandle(workerId, name, Map.of(ATTR_JOB, job));
  }
}
