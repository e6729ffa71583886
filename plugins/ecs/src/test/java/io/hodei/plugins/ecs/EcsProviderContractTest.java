package io.hodei.plugins.ecs;

import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.ProviderContractTest;
import io.hodei.plugins.ecs.fake.FakeEcs;
import io.hodei.plugins.ecs.fake.FakeTask;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The provider TCK against the fake ECS endpoint, with the real SDK signing every request: the
 * worker's environment and tags are read from the task the fake holds, as RunTask delivered them.
 */
class EcsProviderContractTest extends ProviderContractTest {

  private static FakeEcs fake;

  @BeforeAll
  static void startFake() {
    fake = TestSettings.fake();
  }

  @AfterAll
  static void stopFake() {
    fake.close();
  }

  @Override
  protected WorkerManagerProvider createProvider() {
    return new EcsProvider();
  }

  @Override
  protected ProviderConfig providerConfig(String instanceName) {
    return new ProviderConfig(instanceName, TestSettings.forFake(fake));
  }

  @Override
  protected CredentialHandle credentials() {
    return TestSettings.credentials();
  }

  @Override
  protected Resources impossibleResources() {
    return Resources.of(1_000_000, 64);
  }

  @Override
  protected Duration stateTimeout() {
    return Duration.ofSeconds(20);
  }

  @Override
  protected Map<String, String> environmentOf(WorkerHandle handle) {
    return task(handle).environment();
  }

  @Override
  protected Map<String, String> labelsOf(WorkerHandle handle) {
    return OwnershipTags.asSpecLabels(task(handle).tags());
  }

  private static FakeTask task(WorkerHandle handle) {
    return fake.task(handle.resourceId())
        .orElseThrow(() -> new AssertionError("the fake holds no task " + handle.resourceId()));
  }
}
