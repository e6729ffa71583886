package io.hodei.plugins.local;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.ProviderContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The provider TCK against real processes on this host. */
class LocalProviderContractTest extends ProviderContractTest {

  @TempDir Path workDir;

  @Override
  protected WorkerManagerProvider createProvider() {
    return new LocalProvider();
  }

  @Override
  protected ProviderConfig providerConfig(String instanceName) {
    return new ProviderConfig(
        instanceName,
        Map.of(
            "workDir", workDir.toString(),
            "agentCommand", "sleep 300",
            "terminationGrace", "2s"));
  }

  @Override
  protected Resources impossibleResources() {
    return Resources.of(Runtime.getRuntime().availableProcessors() * 1000L + 1000, 1);
  }

  @Override
  protected Map<String, String> environmentOf(WorkerHandle handle) throws Exception {
    return processEnvironment(Long.parseLong(handle.resourceId()));
  }

  @Override
  protected Map<String, String> labelsOf(WorkerHandle handle) throws Exception {
    return WorkerRecord.read(workDir.resolve(handle.workerId())).orElseThrow().labels();
  }

  /** The environment the kernel holds for a process: what it was really started with. */
  static Map<String, String> processEnvironment(long pid) throws Exception {
    String raw = Files.readString(Path.of("/proc", Long.toString(pid), "environ"));
    Map<String, String> environment = new HashMap<>();
    for (String entry : raw.split("\0")) {
      int equals = entry.indexOf('=');
      if (equals > 0) {
        environment.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    return environment;
  }
}
