package io.hodei.plugins.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import io.hodei.plugin.api.Capabilities;
import io.hodei.plugin.api.PluginApi;
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
import io.hodei.plugins.support.PluginVersion;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.pf4j.Extension;

/**
 * Workers as containers on a Docker Engine: one labelled container per worker, running the agent
 * from the image or from a runtime directory mounted into it.
 */
@Extension
public final class DockerProvider implements WorkerManagerProvider {

  static final String TYPE = "docker";
  static final String ATTR_NAME = "name";
  static final String ATTR_IMAGE = "image";

  /** How many lines of a container's output go into a failure's detail. */
  static final int DETAIL_LINES = 20;

  private static final Logger LOG = Logger.getLogger(DockerProvider.class.getName());
  private static final String VERSION =
      PluginVersion.of(DockerProvider.class, "docker-plugin.properties");

  /** One lock per worker id: a retried provision never races its first attempt. */
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  private final AtomicReference<Resources> engineMax = new AtomicReference<>();

  private volatile ProviderContext context;
  private volatile DockerSettings settings;
  private volatile EngineClients clients;
  private volatile EngineErrors errors;
  private volatile ImagePuller images;
  private volatile EngineEventWatch watch;
  private volatile boolean closed;

  @Override
  public ProviderDescriptor describe() {
    Resources max = Optional.ofNullable(engineMax.get()).orElseGet(EngineCapacity::ofThisMachine);
    return new ProviderDescriptor(
        TYPE,
        VERSION,
        new Capabilities(max, Set.of(architecture()), Set.of(), 0, true, Optional.empty()));
  }

  @Override
  public synchronized void initialize(ProviderContext context) {
    if (this.context != null) {
      throw new ProviderException(ErrorCode.INTERNAL, "initialize was called twice");
    }
    DockerSettings parsed = DockerSettings.from(context.instanceName(), context.config());
    AgentRuntime.check(context.instanceName(), parsed);
    Optional<TlsMaterial> tls =
        parsed
            .tlsCredential()
            .map(ref -> TlsMaterial.from(context.credentials().get(ref)).validated(ref));
    this.settings = parsed;
    this.errors = new EngineErrors(parsed.host());
    this.clients = new EngineClients(parsed.host(), tls.map(t -> t), parsed.stopGrace());
    this.images =
        new ImagePuller(
            parsed.pullPolicy(),
            new RegistryLogin(parsed.registryCredential(), context.credentials()),
            errors);
    this.context = context;
    ContainerEvents interpreter = new ContainerEvents(context.clock(), this::describeLastOutput);
    this.watch =
        new EngineEventWatch(
            context.instanceName(),
            () -> clients.streams(),
            ownershipLabels(),
            event -> interpreter.interpret(event).ifPresent(context.events()::publish));
    parsed
        .tlsCredential()
        .ifPresent(ref -> context.credentials().onRotation(ref, c -> rotateTls(ref, c)));
    watch.start();
  }

  @Override
  public WorkerHandle provision(WorkerSpec spec) {
    ensureOpen();
    checkResources(spec.resources());
    WorkerContainer container = WorkerContainer.of(spec, settings, context.instanceName());
    synchronized (locks.computeIfAbsent(spec.workerId(), id -> new Object())) {
      try {
        Optional<WorkerHandle> existing = existing(spec.workerId(), container.name());
        if (existing.isPresent()) {
          // A retry of a provision call that got through: the worker id is stable across retries.
          return existing.get();
        }
        images.ensure(client(), container.image());
        String id;
        try {
          id = create(container);
        } catch (ConflictException e) {
          // Created meanwhile by another replica's retry of the same provision.
          return existing(spec.workerId(), container.name()).orElseThrow(() -> e);
        }
        start(id, container);
        return new WorkerHandle(
            spec.workerId(),
            id,
            Map.of(ATTR_NAME, container.name(), ATTR_IMAGE, container.image()));
      } catch (RuntimeException e) {
        throw errors.translate("create container for worker " + spec.workerId(), e);
      } finally {
        locks.remove(spec.workerId());
      }
    }
  }

  @Override
  public WorkerStatus status(WorkerHandle handle) {
    ensureOpen();
    Optional<InspectContainerResponse> found = inspectOwned(handle.resourceId());
    if (found.isEmpty()) {
      return WorkerStatus.of(WorkerState.NOT_FOUND);
    }
    WorkerStatus status = ContainerStates.of(found.get().getState());
    if (!status.state().isFinal()) {
      return status;
    }
    // A worker that ended before it registered is explained by what it printed.
    return new WorkerStatus(
        status.state(),
        status.detail() + "; " + describeLastOutput(handle.resourceId()),
        status.exitCode());
  }

  @Override
  public void terminate(WorkerHandle handle, TerminationReason reason) {
    ensureOpen();
    Optional<InspectContainerResponse> found = inspectOwned(handle.resourceId());
    if (found.isEmpty()) {
      return;
    }
    String id = found.get().getId();
    LOG.fine(() -> "terminating container " + id + " of " + handle.workerId() + ": " + reason);
    try {
      markTerminating(found.get());
      try {
        client().stopContainerCmd(id).withTimeout((int) settings.stopGrace().toSeconds()).exec();
      } catch (NotModifiedException e) {
        // Already stopped: nothing to wait for.
      }
      client().removeContainerCmd(id).withRemoveVolumes(true).withForce(true).exec();
    } catch (NotFoundException e) {
      // Removed meanwhile (by a concurrent terminate): the outcome is the one asked for.
    } catch (ConflictException e) {
      if (e.getMessage() == null || !e.getMessage().contains("already in progress")) {
        throw errors.translate("remove container " + id, e);
      }
    } catch (RuntimeException e) {
      throw errors.translate("stop and remove container " + id, e);
    }
  }

  @Override
  public List<WorkerHandle> list() {
    ensureOpen();
    try {
      List<Container> containers =
          client().listContainersCmd().withShowAll(true).withLabelFilter(ownershipLabels()).exec();
      return containers.stream()
          .filter(c -> c.getLabels() != null && c.getLabels().get(PluginApi.LABEL_WORKER) != null)
          .map(
              c ->
                  new WorkerHandle(
                      c.getLabels().get(PluginApi.LABEL_WORKER),
                      c.getId(),
                      Map.of(ATTR_NAME, nameOf(c), ATTR_IMAGE, String.valueOf(c.getImage()))))
          .toList();
    } catch (RuntimeException e) {
      throw errors.translate("list containers", e);
    }
  }

  @Override
  public ProviderHealth health() {
    ensureOpen();
    try {
      clients.quick().pingCmd().exec();
    } catch (RuntimeException e) {
      return ProviderHealth.unhealthy(errors.unreachable(e));
    }
    return ProviderHealth.healthy();
  }

  /**
   * The last {@code lines} lines a worker's container wrote, to diagnose a worker that never
   * registered. Empty when the container is gone or not this installation's.
   */
  public List<String> lastOutput(WorkerHandle handle, int lines) {
    ensureOpen();
    if (inspectOwned(handle.resourceId()).isEmpty()) {
      return List.of();
    }
    try {
      return ContainerLogs.tail(client(), handle.resourceId(), lines);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(ErrorCode.TIMEOUT, "interrupted while reading logs", e);
    } catch (RuntimeException e) {
      throw errors.translate("read the logs of container " + handle.resourceId(), e);
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
    if (clients != null) {
      try {
        clients.close();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "closing the Docker clients failed", e);
      }
    }
  }

  // ---- Internals ----

  private String create(WorkerContainer container) {
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode(container.networkMode())
            .withBinds(container.binds().stream().map(Bind::parse).toList())
            .withDns(container.dns())
            .withExtraHosts(container.extraHosts().toArray(String[]::new));
    if (container.nanoCpus() > 0) {
      host.withNanoCPUs(container.nanoCpus());
    }
    if (container.memoryBytes() > 0) {
      host.withMemory(container.memoryBytes());
    }
    CreateContainerCmd create =
        client()
            .createContainerCmd(container.image())
            .withName(container.name())
            .withEnv(container.env())
            .withLabels(container.labels())
            .withHostConfig(host);
    container.entrypoint().ifPresent(create::withEntrypoint);
    return create.exec().getId();
  }

  private void start(String id, WorkerContainer container) {
    try {
      client().startContainerCmd(id).exec();
    } catch (RuntimeException e) {
      removeQuietly(id, e);
      String message = String.valueOf(e.getMessage());
      if (settings.injectAgent() && message.contains("no such file or directory")) {
        throw new ProviderException(
            ErrorCode.INVALID_SPEC,
            "image "
                + container.image()
                + " cannot run the injected agent runtime: "
                + message.trim()
                + ". The runtime needs glibc (the dynamic loader and libc) in the image; use a"
                + " glibc-based image, or one that starts the agent itself with injectAgent=false",
            e);
      }
      throw e;
    }
  }

  private void removeQuietly(String id, RuntimeException cause) {
    try {
      client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** Renames the container so that watchers know its coming death was asked for. */
  private void markTerminating(InspectContainerResponse container) {
    String name = container.getName() == null ? "" : container.getName().replaceFirst("^/", "");
    if (name.endsWith(WorkerContainer.TERMINATING_SUFFIX)) {
      return;
    }
    try {
      client()
          .renameContainerCmd(container.getId())
          .withName(name + WorkerContainer.TERMINATING_SUFFIX)
          .exec();
    } catch (ConflictException e) {
      // The engine refuses renames of a container being removed; its end is near anyway.
      LOG.log(Level.FINE, "could not mark " + name + " as terminating", e);
    }
  }

  private Optional<WorkerHandle> existing(String workerId, String name) {
    try {
      InspectContainerResponse found = client().inspectContainerCmd(name).exec();
      if (!owned(found)) {
        throw new ProviderException(
            ErrorCode.INVALID_SPEC,
            "a container named " + name + " exists but is not this installation's; remove it");
      }
      return Optional.of(
          new WorkerHandle(
              workerId,
              found.getId(),
              Map.of(ATTR_NAME, name, ATTR_IMAGE, String.valueOf(found.getConfig().getImage()))));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** The container, if it exists and belongs to this installation; another's is never touched. */
  private Optional<InspectContainerResponse> inspectOwned(String containerId) {
    try {
      InspectContainerResponse found = client().inspectContainerCmd(containerId).exec();
      return owned(found) ? Optional.of(found) : Optional.empty();
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw errors.translate("inspect container " + containerId, e);
    }
  }

  private boolean owned(InspectContainerResponse container) {
    Map<String, String> labels =
        container.getConfig() == null || container.getConfig().getLabels() == null
            ? Map.of()
            : container.getConfig().getLabels();
    return "true".equals(labels.get(PluginApi.LABEL_MANAGED))
        && context.installationId().equals(labels.get(PluginApi.LABEL_INSTALLATION));
  }

  private Map<String, String> ownershipLabels() {
    return Map.of(
        PluginApi.LABEL_MANAGED, "true",
        PluginApi.LABEL_INSTALLATION, context.installationId(),
        PluginApi.LABEL_PROVIDER_INSTANCE, context.instanceName());
  }

  private void checkResources(Resources requested) {
    Resources max = engineMax.get();
    if (max == null) {
      try {
        max = EngineCapacity.of(clients.requests().infoCmd().exec());
      } catch (RuntimeException e) {
        throw errors.translate("read the engine's capacity", e);
      }
      engineMax.set(max);
    }
    if (!max.covers(requested)) {
      throw new ProviderException(
          ErrorCode.RESOURCES_UNAVAILABLE,
          "a worker asks for "
              + max.firstExcess(requested)
              + " on the Docker engine at "
              + settings.host()
              + "; ask for less, or use a pool on a larger engine");
    }
  }

  private String describeLastOutput(String containerId) {
    try {
      return ContainerLogs.describe(ContainerLogs.tail(client(), containerId, DETAIL_LINES));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "its output could not be read (interrupted)";
    } catch (RuntimeException e) {
      return "its output could not be read: " + e.getMessage();
    }
  }

  private void rotateTls(String reference, io.hodei.plugin.api.Credential credential) {
    TlsMaterial material = TlsMaterial.from(credential).validated(reference);
    EngineClients previous = clients;
    clients = new EngineClients(settings.host(), Optional.of(material), settings.stopGrace());
    watch.resubscribe();
    try {
      previous.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "closing the clients of the rotated TLS credential failed", e);
    }
  }

  private DockerClient client() {
    return clients.requests();
  }

  private static String nameOf(Container container) {
    String[] names = container.getNames();
    return names == null || names.length == 0 ? "" : names[0].replaceFirst("^/", "");
  }

  private void ensureOpen() {
    if (closed) {
      throw new ProviderException(
          ErrorCode.INTERNAL,
          "this docker provider instance is closed; the host must create another");
    }
    if (context == null) {
      throw new ProviderException(
          ErrorCode.INTERNAL, "the docker provider was called before initialize");
    }
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch", "unknown");
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }
}
