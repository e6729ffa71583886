package io.hodei.plugins.docker;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.tck.ProviderContractTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provider contract against the real engine: workers are containers of a stock image (no Java
 * in it) running the agent through injection.
 */
@ExtendWith(TestImages.class)
class DockerProviderContractTest extends ProviderContractTest {

  @Override
  protected WorkerManagerProvider createProvider() {
    return new DockerProvider();
  }

  @Override
  protected ProviderConfig providerConfig(String instanceName) {
    return new ProviderConfig(instanceName, DockerTestConfig.injecting(TestImages.get()));
  }

  @Override
  protected Resources impossibleResources() {
    return Resources.of(1_000_000, 1L << 30);
  }

  @Override
  protected WorkerSpec customizeSpec(WorkerSpec spec) {
    return DockerTestConfig.labelled(spec);
  }

  @Override
  protected Map<String, String> environmentOf(WorkerHandle handle) {
    Map<String, String> env = new HashMap<>();
    String lines =
        DockerCli.inspect(handle.resourceId(), "{{range .Config.Env}}{{println .}}{{end}}");
    for (String line : lines.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  @Override
  protected Map<String, String> labelsOf(WorkerHandle handle) {
    return DockerTestConfig.labelsOf(handle.resourceId());
  }
}
