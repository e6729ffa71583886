package io.hodei.plugins.aci;

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
import io.hodei.plugins.support.Daemons;
import io.hodei.plugins.support.Health;
import io.hodei.plugins.support.InstanceState;
import io.hodei.plugins.support.PluginVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
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
  private static final String VERSION = PluginVersion.of(AciProvider.class, "plugin.properties");
  private static final Resources DEFAULT_MAX = Resources.of(4_000, 16 * 1024);

  private final ArmAuthentication authentication;
  private volatile ProviderContext context;
  private final InstanceState<AciSettings> state = new InstanceState<>();
  private Map<String, String> ownerTags;
  private Resources maxPerWorker;
  private ArmConnection connection;
  private ContainerGroups groups;
  private WorkerGroupTemplate template;
  private ScheduledExecutorService scheduler;
  private GroupWatch watch;

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
    AciSettings s = state.settingsOrNull();
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
    this.groups = new ContainerGroups(s, connection);
    state.opened(s.instanceName(), s);
    this.context = context;
    this.watch =
        new GroupWatch(s.instanceName(), context.events(), context.clock(), this::ownedGroups);
    if (!s.watchInterval().isZero()) {
      String threadName = "hodei-aci-" + s.instanceName() + "-watch";
      this.scheduler = Daemons.scheduler(threadName);
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
    AciSettings s = state.require();
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
    Optional<ContainerGroupInner> existing = groups.find(s.resourceGroup(), name);
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
    groups.create(name, group);
    return handle;
  }

  @Override
  public WorkerStatus status(WorkerHandle handle) {
    state.require();
    String resourceGroup = resourceGroupOf(handle);
    return groups
        .find(resourceGroup, handle.resourceId())
        .map(GroupVerdict::of)
        .orElseGet(
            () ->
                WorkerStatus.of(
                    WorkerState.NOT_FOUND,
                    "container group "
                        + resourceGroup
                        + "/"
                        + handle.resourceId()
                        + " does not exist (deleted, or never created)"));
  }

  @Override
  public void terminate(WorkerHandle handle, TerminationReason reason) {
    AciSettings s = state.require();
    LOG.info(
        "provider instance '"
            + s.instanceName()
            + "': terminating worker "
            + handle.workerId()
            + " ("
            + reason.describe()
            + ")");
    watch.expectGone(handle.workerId());
    groups.delete(resourceGroupOf(handle), handle.resourceId());
  }

  @Override
  public List<WorkerHandle> list() {
    state.require();
    List<WorkerHandle> handles = new ArrayList<>();
    for (ContainerGroupInner group : ownedGroups()) {
      OwnershipTags.workerId(group.tags())
          .ifPresent(
              workerId ->
                  handles.add(
                      new WorkerHandle(
                          workerId,
                          group.name(),
                          Map.of(ATTR_RESOURCE_GROUP, state.require().resourceGroup()))));
    }
    return handles;
  }

  /** This installation's and instance's groups; the watch lists through this too. */
  private List<ContainerGroupInner> ownedGroups() {
    state.require();
    return groups.owned(ownerTags);
  }

  @Override
  public ProviderHealth health() {
    state.require();
    try {
      groups.probe();
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

  private String resourceGroupOf(WorkerHandle handle) {
    return handle.attributes().getOrDefault(ATTR_RESOURCE_GROUP, state.require().resourceGroup());
  }
}
