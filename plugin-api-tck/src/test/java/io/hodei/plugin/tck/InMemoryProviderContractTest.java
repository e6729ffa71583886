package io.hodei.plugin.tck;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import java.util.Map;

/** Runs the TCK against a provider known to honour the contract, so the kit itself is tested. */
class InMemoryProviderContractTest extends ProviderContractTest {

  private final Map<String, InMemoryProvider.FakeWorker> backend = InMemoryProvider.newBackend();

  @Override
  protected WorkerManagerProvider createProvider() {
    return new InMemoryProvider(backend);
  }

  @Override
  protected ProviderConfig providerConfig(String instanceName) {
    return new ProviderConfig(instanceName, Map.of());
  }

  @Override
  protected Resources impossibleResources() {
    return Resources.of(InMemoryProvider.MAX.cpuMillis() + 1, 1);
  }

  @Override
  protected Map<String, String> environmentOf(WorkerHandle handle) {
    return backend.get(handle.workerId()).spec().env();
  }

  @Override
  protected Map<String, String> labelsOf(WorkerHandle handle) {
    return backend.get(handle.workerId()).spec().labels();
  }
}
