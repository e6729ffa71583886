package io.hodei.plugins.local;

import io.hodei.plugin.api.Capabilities;
import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderDescriptor;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import io.hodei.plugins.local.WorkerRecord.Enforcement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.Extension;

/**
 * Workers as agent processes on this host, each in its own directory under the work dir with a
 * state file that lets a restarted server find, check and end them.
 */
@Extension
public final class LocalProvider implements WorkerManagerProvider {

  static final String TYPE = "local";
  static final String ATTR_PID = "pid";
  static final String ATTR_DIRECTORY = "directory";
  static final String ATTR_ENFORCED = "resources.enforced";
  static final String ATTR_ENFORCEMENT = "resources.detail";

  private static final String VERSION = readVersion();

  /** Not a valid worker id, so never taken for a worker's directory. */
  private static final String SANDBOX_PROBE = ".sandbox-probe";

  /** One lock per worker id: provision, terminate and the exit watcher of one worker serialize. */
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /** Workers being terminated by us, whose exit is not news for the event sink. */
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();

  private volatile ProviderContext context;
  private volatile LocalSettings settings;
  private volatile WorkerStore store;
  private volatile HostLimits host;
  private volatile CgroupLimits cgroups;
  private volatile TerminatedLogs logs;
  private volatile Sandbox sandbox;
  private volatile boolean closed;

  @Override
  public ProviderDescriptor describe() {
    Path workDir = settings == null ? LocalSettings.defaultWorkDir() : settings.workDir();
    return new ProviderDescriptor(
        TYPE,
        VERSION,
        new Capabilities(
            HostLimits.probe(workDir).max(),
            Set.of(architecture()),
            Set.of(),
            0,
            true,
            Optional.empty()));
  }

  @Override
  public synchronized void initialize(ProviderContext context) {
    if (this.context != null) {
      throw new ProviderException(ErrorCode.INTERNAL, "initialize was called twice");
    }
    LocalSettings parsed = LocalSettings.from(context.instanceName(), context.config());
    try {
      Files.createDirectories(parsed.workDir());
    } catch (IOException e) {
      throw new ProviderException(
          ErrorCode.INVALID_CONFIGURATION,
          "local provider instance '"
              + context.instanceName()
              + "': cannot create workDir "
              + parsed.workDir()
              + ": "
              + e.getMessage(),
          e);
    }
    this.settings = parsed;
    this.store = new WorkerStore(parsed.workDir());
    this.host = HostLimits.probe(parsed.workDir());
    this.cgroups = CgroupLimits.locate(parsed.cgroupParent());
    this.logs = new TerminatedLogs(parsed.workDir(), parsed.keepLogs());
    this.sandbox = Sandbox.probe(parsed, parsed.workDir().resolve(SANDBOX_PROBE));
    if (!sandbox.isolated()) {
      System.getLogger(LocalProvider.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "local provider instance '"
                  + context.instanceName()
                  + "': workers are "
                  + sandbox.detail());
    }
    this.context = context;
    adoptRunningWorkers();
  }

  @Override
  public WorkerHandle provision(WorkerSpec spec) {
    ensureOpen();
    if (!WorkerStore.isValidWorkerId(spec.workerId())) {
      throw new ProviderException(
          ErrorCode.INVALID_SPEC,
          "worker id '"
              + spec.workerId()
              + "' cannot name a directory: use letters, digits, '.', '_' and '-'");
    }
    checkResources(spec.resources());
    synchronized (lockOf(spec.workerId())) {
      try {
        Optional<WorkerRecord> existing = store.read(spec.workerId());
        if (existing.isPresent() && existing.get().liveProcess().isPresent()) {
          if (!owned(existing.get())) {
            throw new ProviderException(
                ErrorCode.INVALID_SPEC,
                "worker id '" + spec.workerId() + "' is in use by another installation");
          }
          // A retry of a provision call that got through: the id is stable across retries.
          return handleOf(existing.get());
        }
        store.delete(spec.workerId());
        return start(spec);
      } catch (IOException e) {
        throw new ProviderException(
            ErrorCode.UNAVAILABLE,
            "cannot prepare worker " + spec.workerId() + " in " + store.workDir() + ": " + e,
            e);
      }
    }
  }

  @Override
  public WorkerStatus status(WorkerHandle handle) {
    ensureOpen();
    Optional<WorkerRecord> found = ownedRecord(handle.workerId());
    if (found.isEmpty()) {
      return WorkerStatus.of(WorkerState.NOT_FOUND);
    }
    WorkerRecord record = found.get();
    if (record.liveProcess().isPresent()) {
      return WorkerStatus.of(WorkerState.RUNNING, "pid " + record.pid());
    }
    Optional<Integer> exitCode = record.exitCode();
    return new WorkerStatus(
        exitCode.map(ExitCodes::stateOf).orElse(WorkerState.EXITED),
        exitCode.map(ExitCodes::describe).orElse("process " + record.pid() + " has ended")
            + "; its output is in "
            + store.directoryOf(record.workerId()).resolve(LocalWorkerLaunch.LOG_FILE),
        exitCode);
  }

  @Override
  public void terminate(WorkerHandle handle, TerminationReason reason) {
    ensureOpen();
    String workerId = handle.workerId();
    if (!WorkerStore.isValidWorkerId(workerId)) {
      return;
    }
    synchronized (lockOf(workerId)) {
      Optional<WorkerRecord> found = ownedRecord(workerId);
      if (found.isEmpty()) {
        return;
      }
      WorkerRecord record = found.get();
      terminating.add(workerId);
      try {
        // The agent and whatever its jobs started, even if the agent itself already died.
        List<ProcessHandle> processes = new ArrayList<>();
        record.liveProcess().ifPresent(processes::add);
        ProcessGroup.members(record.pid(), record.processStart().minusSeconds(1)).stream()
            .filter(member -> !processes.contains(member))
            .forEach(processes::add);
        if (!processes.isEmpty()
            && !ProcessTree.terminate(processes, settings.terminationGrace())) {
          throw new ProviderException(
              ErrorCode.INTERNAL,
              "worker "
                  + workerId
                  + " (pid "
                  + record.pid()
                  + ") survived SIGKILL; its state is kept so a later terminate can retry");
        }
        cgroups.release(workerId);
        Path directory = store.directoryOf(workerId);
        logs.keep(workerId, directory.resolve(LocalWorkerLaunch.LOG_FILE));
        store.delete(workerId);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProviderException(
            ErrorCode.TIMEOUT, "interrupted while terminating worker " + workerId, e);
      } catch (IOException e) {
        throw new ProviderException(
            ErrorCode.UNAVAILABLE,
            "worker " + workerId + " was stopped but its directory could not be removed: " + e,
            e);
      } finally {
        terminating.remove(workerId);
      }
    }
  }

  @Override
  public List<WorkerHandle> list() {
    ensureOpen();
    try {
      return store.readAll().stream().filter(this::owned).map(this::handleOf).toList();
    } catch (IOException e) {
      throw new ProviderException(
          ErrorCode.UNAVAILABLE, "cannot read workDir " + store.workDir() + ": " + e, e);
    }
  }

  @Override
  public ProviderHealth health() {
    ensureOpen();
    try {
      Path probe = Files.createTempFile(store.workDir(), ".health", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      return ProviderHealth.unhealthy(
          "workDir " + store.workDir() + " is not writable: " + e.getMessage());
    }
    CommandLine command = settings.agentCommand();
    if (command.resolveExecutable(System.getenv("PATH")).isEmpty()) {
      return ProviderHealth.unhealthy(
          "agentCommand's executable '"
              + command.executable()
              + "' is not an executable file"
              + (command.executable().contains("/") ? "" : " on PATH"));
    }
    if (!sandbox.isolated()) {
      // Works, but one worker can read another's secrets: the server keeps such a pool to one
      // tenant unless an operator allows it.
      return new ProviderHealth(ProviderHealth.Status.DEGRADED, sandbox.detail());
    }
    return ProviderHealth.healthy();
  }

  @Override
  public void close() {
    // Workers keep running: the host terminates them, or a later instance adopts them.
    closed = true;
  }

  // ---- Starting and watching ----

  private WorkerHandle start(WorkerSpec spec) throws IOException {
    Path directory = store.create(spec.workerId());
    sandbox.prepare(directory.resolve(WorkerStore.WORK));
    Process process =
        LocalWorkerLaunch.start(settings, sandbox, directory, spec.env(), context.instanceName());
    Instant started = process.info().startInstant().orElseGet(context.clock()::instant);
    Enforcement enforcement = cgroups.apply(process.toHandle(), spec.workerId(), spec.resources());
    WorkerRecord record =
        new WorkerRecord(
            spec.workerId(),
            process.pid(),
            started,
            context.installationId(),
            context.instanceName(),
            ownershipLabels(spec),
            spec.resources(),
            enforcement,
            Optional.empty());
    try {
      record.write(directory);
    } catch (IOException e) {
      // Without a state file nobody could find it again: do not leave it running.
      ProcessTree.terminateQuietly(process.toHandle());
      throw e;
    }
    watch(record, process.onExit().thenApply(p -> Optional.of(p.exitValue())));
    return handleOf(record);
  }

  private Map<String, String> ownershipLabels(WorkerSpec spec) {
    Map<String, String> labels = new TreeMap<>(spec.labels());
    labels.putIfAbsent(PluginApi.LABEL_MANAGED, "true");
    labels.putIfAbsent(PluginApi.LABEL_INSTALLATION, context.installationId());
    labels.putIfAbsent(PluginApi.LABEL_WORKER, spec.workerId());
    labels.putIfAbsent(PluginApi.LABEL_PROVIDER_INSTANCE, context.instanceName());
    return labels;
  }

  /** Watches the processes a previous server left running, so their exits are reported too. */
  private void adoptRunningWorkers() {
    try {
      for (WorkerRecord record : store.readAll()) {
        if (owned(record)) {
          record
              .liveProcess()
              .ifPresent(p -> watch(record, p.onExit().thenApply(ended -> Optional.empty())));
        }
      }
    } catch (IOException e) {
      throw new ProviderException(
          ErrorCode.UNAVAILABLE, "cannot read workDir " + store.workDir() + ": " + e, e);
    }
  }

  private void watch(WorkerRecord record, CompletableFuture<Optional<Integer>> exit) {
    exit.thenAccept(code -> onExit(record, code))
        .exceptionally(
            failure -> {
              System.getLogger(LocalProvider.class.getName())
                  .log(
                      System.Logger.Level.ERROR,
                      "could not report the exit of worker " + record.workerId(),
                      failure);
              return null;
            });
  }

  private void onExit(WorkerRecord started, Optional<Integer> exitCode) {
    String workerId = started.workerId();
    if (closed || terminating.contains(workerId)) {
      return;
    }
    synchronized (lockOf(workerId)) {
      Optional<WorkerRecord> current = ownedRecord(workerId);
      // Terminated meanwhile, or the id now names a newer process: not this exit's business.
      if (current.isEmpty() || current.get().pid() != started.pid()) {
        return;
      }
      if (exitCode.isPresent()) {
        try {
          current.get().withExitCode(exitCode.get()).write(store.directoryOf(workerId));
        } catch (IOException e) {
          System.getLogger(LocalProvider.class.getName())
              .log(System.Logger.Level.WARNING, "cannot record exit code of " + workerId, e);
        }
      }
    }
    WorkerState state = exitCode.map(ExitCodes::stateOf).orElse(WorkerState.EXITED);
    String detail =
        exitCode
            .map(ExitCodes::describe)
            .orElse("exit code unknown: the process was started before this server restarted");
    context
        .events()
        .publish(
            new WorkerEvent(
                workerId,
                state == WorkerState.FAILED ? WorkerEvent.Kind.FAILED : WorkerEvent.Kind.EXITED,
                detail,
                context.clock().instant()));
  }

  // ---- Small helpers ----

  private void checkResources(Resources request) {
    if (request.gpus() > 0) {
      throw new ProviderException(
          ErrorCode.RESOURCES_UNAVAILABLE,
          "the local provider never offers GPUs; asked for " + request.gpus());
    }
    Resources max = host.max();
    if (!max.covers(request)) {
      throw new ProviderException(
          ErrorCode.RESOURCES_UNAVAILABLE,
          "this host cannot give one worker " + max.firstExcess(request));
    }
  }

  private Optional<WorkerRecord> ownedRecord(String workerId) {
    try {
      return store.read(workerId).filter(this::owned);
    } catch (IOException e) {
      throw new ProviderException(
          ErrorCode.UNAVAILABLE, "cannot read the state of worker " + workerId + ": " + e, e);
    }
  }

  private boolean owned(WorkerRecord record) {
    return record.ownedBy(context.installationId(), context.instanceName());
  }

  private WorkerHandle handleOf(WorkerRecord record) {
    return new WorkerHandle(
        record.workerId(),
        Long.toString(record.pid()),
        Map.of(
            ATTR_PID, Long.toString(record.pid()),
            ATTR_DIRECTORY, store.directoryOf(record.workerId()).toString(),
            ATTR_ENFORCED, Boolean.toString(record.enforcement().enforced()),
            ATTR_ENFORCEMENT, record.enforcement().detail()));
  }

  private Object lockOf(String workerId) {
    return locks.computeIfAbsent(workerId, id -> new Object());
  }

  private void ensureOpen() {
    if (closed) {
      throw new ProviderException(
          ErrorCode.INTERNAL,
          "this local provider instance is closed; the host must create another");
    }
    if (context == null) {
      throw new ProviderException(
          ErrorCode.INTERNAL, "the local provider was called before initialize");
    }
  }

  private static String architecture() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }

  private static String readVersion() {
    try (InputStream in = LocalProvider.class.getResourceAsStream("local-plugin.properties")) {
      if (in == null) {
        throw new IllegalStateException("local-plugin.properties is missing from the plugin jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
