package io.hodei.plugin.tck;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The smallest provider that honours the contract: its "backend" is a shared map. */
final class InMemoryProvider implements WorkerManagerProvider {

  /** A worker as the fake backend holds it. */
  record FakeWorker(WorkerSpec spec, String resourceId) {}

  static final Resources MAX = Resources.of(4000, 8192);

  private final Map<String, FakeWorker> backend;
  private volatile ProviderContext context;
  private volatile boolean closed;

  InMemoryProvider(Map<String, FakeWorker> backend) {
    this.backend = backend;
  }

  static Map<String, FakeWorker> newBackend() {
    return new ConcurrentHashMap<>();
  }

  @Override
  public ProviderDescriptor describe() {
    return new ProviderDescriptor(
        "in-memory",
        "1.0.0",
        new Capabilities(MAX, Set.of("amd64"), Set.of(), 0, true, Optional.empty()));
  }

  @Override
  public void initialize(ProviderContext context) {
    this.context = context;
  }

  @Override
  public WorkerHandle provision(WorkerSpec spec) {
    open();
    if (!MAX.covers(spec.resources())) {
      throw new ProviderException(
          ErrorCode.RESOURCES_UNAVAILABLE,
          "in-memory workers offer at most " + MAX.firstExcess(spec.resources()));
    }
    FakeWorker worker = new FakeWorker(spec, "mem-" + spec.workerId());
    backend.putIfAbsent(spec.workerId(), worker);
    return new WorkerHandle(spec.workerId(), worker.resourceId());
  }

  @Override
  public WorkerStatus status(WorkerHandle handle) {
    open();
    return WorkerStatus.of(
        ownedBy(backend.get(handle.workerId())) ? WorkerState.RUNNING : WorkerState.NOT_FOUND);
  }

  @Override
  public void terminate(WorkerHandle handle, TerminationReason reason) {
    open();
    backend.computeIfPresent(handle.workerId(), (id, w) -> ownedBy(w) ? null : w);
  }

  @Override
  public List<WorkerHandle> list() {
    open();
    return backend.values().stream()
        .filter(this::ownedBy)
        .map(w -> new WorkerHandle(w.spec().workerId(), w.resourceId()))
        .toList();
  }

  @Override
  public ProviderHealth health() {
    open();
    return ProviderHealth.healthy();
  }

  @Override
  public void close() {
    closed = true;
  }

  private boolean ownedBy(FakeWorker worker) {
    return worker != null
        && context
            .installationId()
            .equals(worker.spec().labels().get(PluginApi.LABEL_INSTALLATION));
  }

  private void open() {
    if (closed) {
      throw new ProviderException(ErrorCode.INTERNAL, "this provider instance is closed");
    }
  }
}
