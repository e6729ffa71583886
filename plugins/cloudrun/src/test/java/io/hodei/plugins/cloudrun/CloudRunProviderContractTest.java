package io.hodei.plugins.cloudrun;

import com.google.cloud.run.v2.Execution;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.ProviderContractTest;
import io.hodei.plugin.tck.TestingCredentialHandle;
import io.hodei.plugins.cloudrun.fake.FakeCloudRun;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provider TCK against the fake Cloud Run API, through the real Google client with a real
 * service-account key: the fake starts each execution's "container" at once, and the probes read
 * the environment and labels the fake recorded for the execution.
 */
class CloudRunProviderContractTest extends ProviderContractTest {

  private static FakeCloudRun cloudRun;
  private static String key;

  @BeforeAll
  static void startFake() {
    cloudRun = FakeCloudRun.start();
    key = cloudRun.oauth().newServiceAccountKey("hodei-control-plane");
  }

  @AfterAll
  static void stopFake() {
    cloudRun.close();
  }

  @Override
  protected WorkerManagerProvider createProvider() {
    return new CloudRunProvider();
  }

  @Override
  protected ProviderConfig providerConfig(String instanceName) {
    return new ProviderConfig(instanceName, TestSettings.forFake(cloudRun));
  }

  @Override
  protected CredentialHandle credentials() {
    return TestingCredentialHandle.empty().with(TestSettings.KEY_REFERENCE, key);
  }

  @Override
  protected Resources impossibleResources() {
    return Resources.of(64_000, 8);
  }

  @Override
  protected Duration stateTimeout() {
    return Duration.ofSeconds(20);
  }

  @Override
  protected Map<String, String> environmentOf(WorkerHandle handle) {
    return cloudRun.environmentOf(handle.resourceId());
  }

  @Override
  protected Map<String, String> labelsOf(WorkerHandle handle) {
    Execution execution = cloudRun.executions().get(handle.resourceId());
    if (execution == null) {
      throw new AssertionError("the fake holds no execution " + handle.resourceId());
    }
    // Cloud Run labels the execution like its job; the worker id is in the task's environment.
    return OwnershipLabels.asSpecLabels(
        execution.getLabelsMap(), ExecutionVerdict.workerIdOf(execution).orElse(null));
  }
}
