package io.hodei.examples.ssh;

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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Workers on a fixed list of machines, started over SSH with the system's OpenSSH client. An
 * example to copy: every remote step is a short shell script in {@link RemoteScripts}.
 */
@Extension
public final class SshProvider implements WorkerManagerProvider {

  static final String TYPE = "ssh";
  static final String ATTR_HOST = "host";

  private static final String VERSION = readVersion();

  private volatile ProviderContext context;
  private volatile SshSettings settings;
  private volatile SshClient ssh;
  private volatile RemoteScripts scripts;
  private volatile boolean closed;

  @Override
  public ProviderDescriptor describe() {
    SshSettings current = settings;
    Resources max = current == null ? SshSettings.DEFAULT_MAX_PER_WORKER : current.maxPerWorker();
    int maxWorkers = current == null ? 0 : current.hosts().size() * current.maxWorkersPerHost();
    return new ProviderDescriptor(
        TYPE,
        VERSION,
        new Capabilities(max, Set.of("amd64"), Set.of(), maxWorkers, true, Optional.empty()));
  }

  @Override
  public void initialize(ProviderContext context) {
    SshSettings parsed = SshSettings.from(context.instanceName(), context.config());
    this.settings = parsed;
    this.ssh = new SshClient(parsed);
    this.scripts = new RemoteScripts(parsed);
    this.context = context;
  }

  /** Synchronized so two provisions of this instance never both take a host's last place. */
  @Override
  public synchronized WorkerHandle provision(WorkerSpec spec) {
    ensureOpen();
    if (!RemoteScripts.isValidWorkerId(spec.workerId())) {
      throw new ProviderException(
          ErrorCode.INVALID_SPEC,
          "worker id '" + spec.workerId() + "' cannot name a directory: use letters, digits, ._-");
    }
    if (spec.resources().gpus() > 0 || !settings.maxPerWorker().covers(spec.resources())) {
      throw new ProviderException(
          ErrorCode.RESOURCES_UNAVAILABLE,
          "the ssh hosts of '"
              + context.instanceName()
              + "' take at most "
              + settings.maxPerWorker()
              + " per worker and no GPUs; asked for "
              + spec.resources());
    }
    SshHost host = leastLoadedHost();
    SshClient.Result result =
        ssh.run(host, scripts.provision(spec, context.installationId(), context.instanceName()));
    RemoteWorker worker =
        RemoteWorker.parseOne(host, result.stdout())
            .orElseThrow(
                () ->
                    new ProviderException(
                        ErrorCode.UNAVAILABLE,
                        "starting worker "
                            + spec.workerId()
                            + " on "
                            + host
                            + " failed (exit "
                            + result.exitCode()
                            + "): "
                            + result.stderr().strip()));
    if (!worker.ownedBy(context.installationId(), context.instanceName())) {
      throw new ProviderException(
          ErrorCode.INVALID_SPEC,
          "worker id " + spec.workerId() + " is in use on " + host + " by another installation");
    }
    return handleOf(worker);
  }

  @Override
  public WorkerStatus status(WorkerHandle handle) {
    ensureOpen();
    Optional<SshHost> host = hostOf(handle);
    if (host.isEmpty() || !RemoteScripts.isValidWorkerId(handle.workerId())) {
      return WorkerStatus.of(WorkerState.NOT_FOUND);
    }
    SshClient.Result result = ssh.run(host.get(), scripts.status(handle.workerId()));
    return RemoteWorker.parseOne(host.get(), result.stdout())
        .filter(w -> w.ownedBy(context.installationId(), context.instanceName()))
        .map(
            w ->
                w.alive()
                    ? WorkerStatus.of(WorkerState.RUNNING, "pid " + w.pid() + " on " + host.get())
                    : WorkerStatus.of(
                        WorkerState.EXITED,
                        "process " + w.pid() + " on " + host.get() + " has ended; see worker.log"))
        .orElse(WorkerStatus.of(WorkerState.NOT_FOUND));
  }

  @Override
  public void terminate(WorkerHandle handle, TerminationReason reason) {
    ensureOpen();
    Optional<SshHost> host = hostOf(handle);
    if (host.isEmpty() || !RemoteScripts.isValidWorkerId(handle.workerId())) {
      return;
    }
    SshClient.Result result =
        ssh.run(
            host.get(),
            scripts.terminate(handle.workerId(), context.installationId(), context.instanceName()));
    if (result.exitCode() != 0) {
      throw new ProviderException(
          ErrorCode.UNAVAILABLE,
          "terminating "
              + handle.workerId()
              + " on "
              + host.get()
              + " failed: "
              + result.stderr().strip());
    }
  }

  @Override
  public List<WorkerHandle> list() {
    ensureOpen();
    List<WorkerHandle> handles = new ArrayList<>();
    for (SshHost host : settings.hosts()) {
      // One unreachable host fails the whole list: a partial one would look like lost workers.
      for (RemoteWorker worker : inventory(host)) {
        if (worker.ownedBy(context.installationId(), context.instanceName())) {
          handles.add(handleOf(worker));
        }
      }
    }
    return handles;
  }

  @Override
  public ProviderHealth health() {
    ensureOpen();
    List<String> problems = new ArrayList<>();
    for (SshHost host : settings.hosts()) {
      try {
        ssh.run(host, "true\n");
      } catch (ProviderException e) {
        problems.add(e.getMessage());
      }
    }
    if (problems.isEmpty()) {
      return ProviderHealth.healthy();
    }
    String detail = String.join("; ", problems);
    return problems.size() == settings.hosts().size()
        ? ProviderHealth.unhealthy(detail)
        : new ProviderHealth(ProviderHealth.Status.DEGRADED, detail);
  }

  @Override
  public void close() {
    // Nothing to release: every call runs its own ssh process. Workers keep running.
    closed = true;
  }

  private SshHost leastLoadedHost() {
    List<ProviderException> unreachable = new ArrayList<>();
    SshHost best = null;
    long bestLoad = Long.MAX_VALUE;
    for (SshHost host : settings.hosts()) {
      try {
        long load = inventory(host).stream().filter(RemoteWorker::alive).count();
        if (load < settings.maxWorkersPerHost() && load < bestLoad) {
          best = host;
          bestLoad = load;
        }
      } catch (ProviderException e) {
        unreachable.add(e);
      }
    }
    if (best != null) {
      return best;
    }
    if (unreachable.size() == settings.hosts().size()) {
      ProviderException error =
          new ProviderException(
              unreachable.stream()
                  .map(ProviderException::code)
                  .min(Comparator.comparing(ProviderException.ErrorCode::retryable))
                  .orElse(ErrorCode.UNAVAILABLE),
              "no ssh host is usable: " + unreachable.get(0).getMessage());
      unreachable.forEach(error::addSuppressed);
      throw error;
    }
    throw new ProviderException(
        ErrorCode.CAPACITY_EXHAUSTED,
        "every reachable ssh host of '"
            + context.instanceName()
            + "' already runs "
            + settings.maxWorkersPerHost()
            + " workers (maxWorkersPerHost)");
  }

  private List<RemoteWorker> inventory(SshHost host) {
    SshClient.Result result = ssh.run(host, scripts.inventory());
    if (result.exitCode() != 0) {
      throw new ProviderException(
          ErrorCode.UNAVAILABLE, "cannot list workers on " + host + ": " + result.stderr().strip());
    }
    return RemoteWorker.parse(host, result.stdout());
  }

  private static Optional<SshHost> hostOf(WorkerHandle handle) {
    String host = handle.attributes().get(ATTR_HOST);
    if (host == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(SshHost.parse(host));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static WorkerHandle handleOf(RemoteWorker worker) {
    return new WorkerHandle(
        worker.workerId(),
        worker.host() + "/" + worker.pid(),
        Map.of(ATTR_HOST, worker.host().toString(), "pid", worker.pid()));
  }

  private void ensureOpen() {
    if (closed) {
      throw new ProviderException(
          ErrorCode.INTERNAL, "this ssh provider instance is closed; the host must create another");
    }
    if (context == null) {
      throw new ProviderException(
          ErrorCode.INTERNAL, "the ssh provider was called before initialize");
    }
  }

  private static String readVersion() {
    try (InputStream in = SshProvider.class.getResourceAsStream("ssh-plugin.properties")) {
      if (in == null) {
        throw new IllegalStateException("ssh-plugin.properties is missing from the plugin jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
