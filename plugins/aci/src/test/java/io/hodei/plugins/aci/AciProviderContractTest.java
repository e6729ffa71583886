package io.hodei.plugins.aci;

import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.ProviderContractTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provider TCK against the fake Resource Manager, with the real Azure SDK and the production
 * authentication (an access token by reference): the worker's environment and tags are read from
 * the container group the fake holds, secure values included, as a node would see them.
 */
class AciProviderContractTest extends ProviderContractTest {

  private static FakeArm arm;

  @BeforeAll
  static void startFake() {
    arm = TestSettings.startFake();
  }

  @AfterAll
  static void stopFake() {
    arm.close();
  }

  @Override
  protected WorkerManagerProvider createProvider() {
    return new AciProvider();
  }

  @Override
  protected ProviderConfig providerConfig(String instanceName) {
    return new ProviderConfig(instanceName, TestSettings.forFake(arm));
  }

  @Override
  protected CredentialHandle credentials() {
    return TestSettings.tokenCredentials();
  }

  @Override
  protected Resources impossibleResources() {
    return Resources.of(64_000, 1024);
  }

  @Override
  protected Duration stateTimeout() {
    return Duration.ofSeconds(20);
  }

  @Override
  protected boolean mayOutliveClose(Thread thread) {
    // Reactor's shared schedulers belong to the library, not to one provider instance; their
    // threads are created by whichever caller needs them first.
    return super.mayOutliveClose(thread)
        || thread.getName().startsWith("parallel-")
        || thread.getName().startsWith("boundedElastic-");
  }

  @Override
  protected Map<String, String> environmentOf(WorkerHandle handle) {
    return groupOf(handle).environment();
  }

  @Override
  protected Map<String, String> labelsOf(WorkerHandle handle) {
    return OwnershipTags.asSpecLabels(groupOf(handle).tags());
  }

  private static FakeGroup groupOf(WorkerHandle handle) {
    return arm.group(handle.resourceId())
        .orElseThrow(() -> new AssertionError("the fake holds no group for " + handle));
  }
}
