package io.hodei.plugins.aci;

import com.azure.core.management.polling.PollResult;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.resourcemanager.containerinstance.fluent.ContainerInstanceManagementClient;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.hodei.plugin.api.Capabilities;
import io.hodei.plugin.api.Credential;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.pf4j.Extension;

/**
 * Workers as Azure Container Instances: one container group per worker, created through Azure
 * Resource Manager, tagged as Hodei's, and deleted when the host terminates the worker.
 */
@Extension
public class AciProvider implements WorkerManagerProvider {

  static final String TYPE = "aci";
  static final String ATTR_RESOURCE_GROUP = "resourceGroup";
  static final String ATTR_SIZE = "size";
  static final String GROUP_PREFIX = "hodei-";

  private static final Logger LOG = Logger.getLogger(AciProvider.class.getName());
  private static final String VERSION = readVersion();
  private static final Resources DEFAULT_MAX = Resources.of(4_000, 16 * 1024);

  private final ArmAuthentication authentication;
  private volatile ProviderContext context;
  private volatile AciSettings settings;
  private Map<String, String> ownerTags;
  private Resources maxPerWorker;
  private ArmConnection connection;
  private WorkerGroupTemplate template;
  private ScheduledExecutorService scheduler;
  private GroupWatch watch;
  private volatile boolean closed;

  /** The provider as PF4J creates it: authenticates with Microsoft Entra ID. */
  public AciProvider() {
    this(new EntraAuthentication());
  }

  /** A provider whose credentials become Resource Manager authentication through {@code auth}. */
  AciProvider(ArmAuthentication authentication) {
    this.authentication = authentication;
  }

  @Override
  public ProviderDescriptor describe() {
    AciSettings s = settings;
    Capabilities capabilities =
        s == null
            ? new Capabilities(DEFAULT_MAX, Set.of("amd64"), Set.of(), 0, true, Optional.empty())
            : new Capabilities(
                maxPerWorker,
                Set.copyOf(s.architectures()),
                Set.of(s.location()),
                s.maxWorkers(),
                true,
                s.costPerCoreHour());
    return new ProviderDescriptor(TYPE, VERSION, capabilities);
  }

  @Override
  public synchronized void initialize(ProviderContext context) {
    if (this.context != null) {
      throw new ProviderException(ErrorCode.INTERNAL, "initialize() was called twice");
    }
    AciSettings s = AciSettings.read(context.instanceName(), context.config());
    this.maxPerWorker =
        new Resources(
            Math.round(s.maxCpuCores() * 1000),
            Math.round(s.maxMemoryGb() * 1024),
            0,
            s.maxDiskMib());
    this.ownerTags = OwnershipTags.owner(context.installationId(), context.instanceName());
    this.template = new WorkerGroupTemplate(s);
    this.connection =
        ArmConnection.open(
            s.instanceName(),
            s.connection(),
            context.credentials(),
            authentication,
            "hodei-aci/" + VERSION);
    this.settings = s;
    this.context = context;
    this.watch =
        new GroupWatch(s.instanceName(), context.events(), context.clock(), this::ownedGroups);
    if (!s.watchInterval().isZero()) {
      String threadName = "hodei-aci-" + s.instanceName() + "-watch";
      this.scheduler =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, threadName);
                thread.setDaemon(true);
                return thread;
              });
      watch.start(scheduler, s.watchInterval());
    }
    LOG.info(
        "provider instance '"
            + s.instanceName()
            + "' ready: container groups in resource group "
            + s.resourceGroup()
            + " ("
            + s.location()
            + ") of subscription "
            + s.connection().subscriptionId());
  }

  @Override
  public WorkerHandle provision(WorkerSpec spec) {
    AciSettings s = open();
    GroupSize size = GroupSize.of(spec.resources(), s);
    if (!maxPerWorker.covers(spec.resources()) || !maxPerWorker.covers(size.asResources())) {
      Resources asked =
          maxPerWorker.covers(spec.resources()) ? size.asResources() : spec.resources();
      throw new ProviderException(
          ErrorCode.RESOURCES_UNAVAILABLE,
          "worker "
              + spec.workerId()
              + " asks for "
              + maxPerWorker.firstExcess(asked)
              + " on provider instance '"
              + s.instanceName()
              + "'; a container group holds at most "
              + s.maxCpuCores()
              + " cores and "
              + s.maxMemoryGb()
              + " GB here (maxCpuCores/maxMemoryGb), no GPUs, and maxDiskMib of disk");
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
    String name = OwnershipTags.groupName(GROUP_PREFIX, spec.workerId());
    WorkerHandle handle =
        new WorkerHandle(
            spec.workerId(),
            name,
            Map.of(ATTR_RESOURCE_GROUP, s.resourceGroup(), ATTR_SIZE, size.describe()));
    Optional<Credential> registry = s.registryCredential().map(context.credentials()::get);
    ContainerGroupInner group =
        template.build(
            spec,
            size,
            OwnershipTags.forWorker(
                spec.labels(), context.installationId(), s.instanceName(), spec.workerId()),
            registry);
    String action = "creating container group " + s.resourceGroup() + "/" + name;
    Optional<ContainerGroupInner> existing =
        call("reading container group " + name, client -> find(client, s.resourceGroup(), name));
    if (existing.isPresent()) {
      if (spec.workerId().equals(OwnershipTags.workerId(existing.get().tags()).orElse(""))) {
        // A retried provision: the first call got through.
        return handle;
      }
      throw new ProviderException(
          ErrorCode.INVALID_SPEC,
          "provider instance '"
              + s.instanceName()
              + "': container group "
              + name
              + " exists and belongs to another worker or to no Hodei worker");
    }
    SyncPoller<PollResult<ContainerGroupInner>, ContainerGroupInner> creation =
        call(
            action,
            client ->
                client.getContainerGroups().beginCreateOrUpdate(s.resourceGroup(), name, group));
    LOG.info(
        "provider instance '"
            + s.instanceName()
            + "': creating container group "
            + name
            + " for worker "
            + spec.workerId()
            + " ("
            + size.describe()
            + ")");
    awaitCreation(s, action, name, creation);
    return handle;
  }

  /**
   * Follows the creation for up to {@code provisionWait}: a creation that fails early (an image
   * that cannot be pulled, a full region) becomes a clear error; one that takes longer is left to
   * run, and {@link #status} reports it.
   */
  private void awaitCreation(
      AciSettings s,
      String action,
      String name,
      SyncPoller<PollResult<ContainerGroupInner>, ContainerGroupInner> creation) {
    long deadline = System.nanoTime() + s.provisionWait().toNanos();
    PollResponse<PollResult<ContainerGroupInner>> response;
    try {
      response = creation.poll();
      while (!response.getStatus().isComplete() && System.nanoTime() < deadline) {
        Duration delay =
            Optional.ofNullable(response.getRetryAfter()).orElse(s.connection().pollInterval());
        long left = deadline - System.nanoTime();
        Thread.sleep(Math.max(0, Math.min(delay.toMillis(), TimeUnit.NANOSECONDS.toMillis(left))));
        response = creation.poll();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(
          ErrorCode.TIMEOUT,
          "provider instance '" + s.instanceName() + "' interrupted while " + action,
          e);
    } catch (RuntimeException e) {
      throw AciErrors.translate(s.instanceName(), action, e);
    }
    LongRunningOperationStatus status = response.getStatus();
    if (status == LongRunningOperationStatus.FAILED
        || status == LongRunningOperationStatus.USER_CANCELLED) {
      ProviderException failure = creationFailure(s, action, response);
      deleteQuietly(s, name);
      throw failure;
    }
  }

  private static ProviderException creationFailure(
      AciSettings s, String action, PollResponse<PollResult<ContainerGroupInner>> response) {
    PollResult.Error error = response.getValue() == null ? null : response.getValue().getError();
    if (error == null) {
      return new ProviderException(
          ErrorCode.UNAVAILABLE,
          "provider instance '"
              + s.instanceName()
              + "' while "
              + action
              + ": the operation ended "
              + response.getStatus());
    }
    return AciErrors.operationFailed(s.instanceName(), action, error);
  }

  private void deleteQuietly(AciSettings s, String name) {
    try {
      call(
          "deleting failed container group " + name,
          client -> client.getContainerGroups().beginDelete(s.resourceGroup(), name));
    } catch (ProviderException e) {
      // The orphan sweep finds it through list() and tries again.
      LOG.log(
          Level.WARNING,
          "provider instance '"
              + s.instanceName()
              + "': could not delete failed container group "
              + name
              + ": "
              + e.getMessage());
    }
  }

  @Override
  public WorkerStatus status(WorkerHandle handle) {
    AciSettings s = open();
    String resourceGroup = resourceGroupOf(handle);
    return call(
        "reading the status of worker " + handle.workerId(),
        client ->
            find(client, resourceGroup, handle.resourceId())
                .map(GroupVerdict::of)
                .orElseGet(
                    () ->
                        WorkerStatus.of(
                            WorkerState.NOT_FOUND,
                            "container group "
                                + resourceGroup
                                + "/"
                                + handle.resourceId()
                                + " does not exist (deleted, or never created)")));
  }

  @Override
  public void terminate(WorkerHandle handle, TerminationReason reason) {
    AciSettings s = open();
    String resourceGroup = resourceGroupOf(handle);
    String action = "deleting container group " + resourceGroup + "/" + handle.resourceId();
    LOG.info(
        "provider instance '"
            + s.instanceName()
            + "': terminating worker "
            + handle.workerId()
            + " ("
            + reason.describe()
            + ")");
    watch.expectGone(handle.workerId());
    SyncPoller<PollResult<ContainerGroupInner>, ContainerGroupInner> deletion =
        call(
            action,
            client -> {
              try {
                return client.getContainerGroups().beginDelete(resourceGroup, handle.resourceId());
              } catch (RuntimeException e) {
                if (AciErrors.isNotFound(e)) {
                  return null;
                }
                throw e;
              }
            });
    if (deletion == null) {
      return;
    }
    try {
      // Deleting is quick; waiting for it lets list() drop the worker right after.
      PollResponse<PollResult<ContainerGroupInner>> done =
          deletion.waitForCompletion(s.provisionWait());
      if (done.getStatus() == LongRunningOperationStatus.FAILED && done.getValue() != null) {
        throw AciErrors.operationFailed(s.instanceName(), action, done.getValue().getError());
      }
    } catch (RuntimeException e) {
      if (AciErrors.isNotFound(e)) {
        return;
      }
      if (isWaitTimeout(e)) {
        LOG.info(
            "provider instance '"
                + s.instanceName()
                + "': deletion of "
                + handle.resourceId()
                + " still running after "
                + s.provisionWait());
        return;
      }
      throw AciErrors.translate(s.instanceName(), action, e);
    }
  }

  private static boolean isWaitTimeout(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException
          || String.valueOf(t.getMessage()).contains("Timeout on blocking read")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  @Override
  public List<WorkerHandle> list() {
    open();
    List<WorkerHandle> handles = new ArrayList<>();
    for (ContainerGroupInner group : ownedGroups()) {
      OwnershipTags.workerId(group.tags())
          .ifPresent(
              workerId ->
                  handles.add(
                      new WorkerHandle(
                          workerId,
                          group.name(),
                          Map.of(ATTR_RESOURCE_GROUP, settings.resourceGroup()))));
    }
    return handles;
  }

  /**
   * Every container group of the resource group whose tags name this installation and instance.
   * Resource Manager cannot filter container groups by tag, so the filter runs here; a listing that
   * fails part-way throws rather than return a partial list that would look like lost workers.
   */
  private List<ContainerGroupInner> ownedGroups() {
    AciSettings s = open();
    return call(
        "listing container groups of resource group " + s.resourceGroup(),
        client -> {
          List<ContainerGroupInner> owned = new ArrayList<>();
          for (ContainerGroupInner group :
              client.getContainerGroups().listByResourceGroup(s.resourceGroup())) {
            if (OwnershipTags.ownedBy(group.tags(), ownerTags)) {
              owned.add(group);
            }
          }
          return owned;
        });
  }

  @Override
  public ProviderHealth health() {
    AciSettings s = open();
    try {
      call(
          "checking health",
          client ->
              client
                  .getContainerGroups()
                  .listByResourceGroup(s.resourceGroup())
                  .iterableByPage()
                  .iterator()
                  .hasNext());
      return ProviderHealth.healthy();
    } catch (ProviderException e) {
      if (e.code() == ErrorCode.THROTTLED) {
        return new ProviderHealth(ProviderHealth.Status.DEGRADED, e.getMessage());
      }
      return ProviderHealth.unhealthy(e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (watch != null) {
      watch.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (connection != null) {
      connection.close();
    }
  }

  /**
   * Runs one Resource Manager call; when Resource Manager refuses the credential, fetches it again
   * through the credential handle and retries once, then fails with {@code AUTHENTICATION}.
   */
  private <T> T call(String action, Function<ContainerInstanceManagementClient, T> body) {
    String instance = settings.instanceName();
    try {
      return body.apply(connection.client());
    } catch (RuntimeException first) {
      if (!AciErrors.isAuthenticationFailure(first)) {
        throw AciErrors.translate(instance, action, first);
      }
      boolean refreshed = connection.refreshAfterRejection();
      if (!refreshed) {
        throw authenticationFailure(action, first, "no newer credential was available");
      }
      try {
        return body.apply(connection.client());
      } catch (RuntimeException second) {
        if (AciErrors.isAuthenticationFailure(second)) {
          throw authenticationFailure(
              action, second, "the credential fetched again was refused too");
        }
        throw AciErrors.translate(instance, action, second);
      }
    }
  }

  private ProviderException authenticationFailure(String action, RuntimeException e, String why) {
    ProviderException translated = AciErrors.translate(settings.instanceName(), action, e);
    return new ProviderException(
        ErrorCode.AUTHENTICATION, translated.getMessage() + " (" + why + ")", e);
  }

  private static Optional<ContainerGroupInner> find(
      ContainerInstanceManagementClient client, String resourceGroup, String name) {
    try {
      return Optional.of(client.getContainerGroups().getByResourceGroup(resourceGroup, name));
    } catch (RuntimeException e) {
      if (AciErrors.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private String resourceGroupOf(WorkerHandle handle) {
    return handle.attributes().getOrDefault(ATTR_RESOURCE_GROUP, settings.resourceGroup());
  }

  private AciSettings open() {
    AciSettings s = settings;
    if (s == null) {
      throw new ProviderException(ErrorCode.INTERNAL, "call initialize() first");
    }
    if (closed) {
      throw new ProviderException(
          ErrorCode.INTERNAL, "provider instance '" + s.instanceName() + "' is closed");
    }
    return s;
  }

  private static String readVersion() {
    try (InputStream in = AciProvider.class.getResourceAsStream("plugin.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
