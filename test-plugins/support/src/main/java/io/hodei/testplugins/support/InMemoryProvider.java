package io.hodei.testplugins.support;

import io.hodei.plugin.api.Capabilities;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderDescriptor;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A provider whose workers are entries in a map: a test double that lets the plugin host's tests
 * see which plugin, version and library answered a call.
 */
public abstract class InMemoryProvider implements WorkerManagerProvider {

  /** Handle attribute naming the plugin version that provisioned the worker. */
  public static final String ATTRIBUTE_PLUGIN_VERSION = "plugin.version";

  /** Handle attribute naming the provider instance that provisioned the worker. */
  public static final String ATTRIBUTE_INSTANCE = "instance";

  private final Map<String, WorkerHandle> workers = new ConcurrentHashMap<>();
  private volatile ProviderContext context;

  /** The provider type this test plugin offers. */
  protected abstract String type();

  /** The version this test plugin reports, also put on every handle. */
  protected abstract String version();

  /** Extra attributes for every handle, e.g. the version of a bundled library. */
  protected Map<String, String> attributes() {
    return Map.of();
  }

  @Override
  public ProviderDescriptor describe() {
    return new ProviderDescriptor(
        type(),
        version(),
        new Capabilities(
            Resources.of(4000, 8192), Set.of("amd64"), Set.of(), 0, true, Optional.empty()));
  }

  @Override
  public void initialize(ProviderContext context) {
    this.context = context;
  }

  @Override
  public WorkerHandle provision(WorkerSpec spec) {
    Map<String, String> attributes = new HashMap<>(attributes());
    attributes.put(ATTRIBUTE_PLUGIN_VERSION, version());
    attributes.put(ATTRIBUTE_INSTANCE, initialized().instanceName());
    WorkerHandle handle =
        new WorkerHandle(spec.workerId(), type() + "-" + spec.workerId(), attributes);
    workers.put(spec.workerId(), handle);
    return handle;
  }

  @Override
  public WorkerStatus status(WorkerHandle handle) {
    return WorkerStatus.of(
        workers.containsKey(handle.workerId()) ? WorkerState.RUNNING : WorkerState.NOT_FOUND);
  }

  @Override
  public void terminate(WorkerHandle handle, TerminationReason reason) {
    workers.remove(handle.workerId());
  }

  @Override
  public List<WorkerHandle> list() {
    return List.copyOf(workers.values());
  }

  @Override
  public ProviderHealth health() {
    return ProviderHealth.healthy();
  }

  @Override
  public void close() {
    // Nothing to release: the workers are map entries.
  }

  private ProviderContext initialized() {
    ProviderContext current = context;
    if (current == null) {
      throw new ProviderException(
          ProviderException.ErrorCode.INTERNAL, type() + ": called before initialize");
    }
    return current;
  }
}
