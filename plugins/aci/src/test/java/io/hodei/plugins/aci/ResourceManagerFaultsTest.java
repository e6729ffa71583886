package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the provider makes of Resource Manager's failure answers: throttling and server errors are
 * retried with backoff (honouring {@code Retry-After}), then reported with retryable codes and as
 * an unhealthy provider; error bodies become codes that tell the host what to do.
 */
class ResourceManagerFaultsTest {

  private static final String GROUPS = "/containerGroups";

  private final FakeArm arm = TestSettings.startFake();
  private AciProvider provider;

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.close();
    }
    arm.close();
  }

  @Test
  void throttlingIsRetriedAfterTheRetryAfterThatResourceManagerSent() {
    provider = Providers.start(arm, Map.of("watchInterval", "0s"));
    arm.faults().throttle(2, "PUT", GROUPS, 1);

    WorkerHandle handle = provider.provision(Providers.spec("w-throttled"));

    List<FakeArm.RecordedRequest> puts = arm.requests("PUT", GROUPS);
    assertThat(puts).as("two throttled tries and the one that got through").hasSize(3);
    for (int i = 1; i < puts.size(); i++) {
      assertThat(Duration.between(puts.get(i - 1).at(), puts.get(i).at()))
          .as("the wait before retry %d honours Retry-After: 1", i)
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.RUNNING);
  }

  @Test
  void throttlingThatOutlastsTheRetriesIsReportedAsThrottledAndDegraded() {
    provider = Providers.start(arm, Map.of("watchInterval", "0s", "maxRetries", "1"));
    arm.faults().throttle(ArmFaults.ALWAYS, "GET", GROUPS, 0);

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);
    ProviderHealth health = provider.health();

    assertThat(error.code()).isEqualTo(ErrorCode.THROTTLED);
    assertThat(error.retryable()).isTrue();
    assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
    assertThat(health.acceptsWork()).isTrue();
  }

  @Test
  void serverErrorsAreRetriedUntilOneTryGetsThrough() {
    provider = Providers.start(arm, Map.of("watchInterval", "0s"));
    arm.faults().error(1, "PUT", GROUPS, 500, "InternalServerError", Map.of());
    arm.faults().error(1, "PUT", GROUPS, 503, "ServerBusy", Map.of());

    provider.provision(Providers.spec("w-flaky"));

    assertThat(arm.requests("PUT", GROUPS)).hasSize(3);
    assertThat(arm.group("hodei-w-flaky")).isPresent();
  }

  @Test
  void persistentServerErrorsAreUnavailableAndMakeTheProviderUnhealthy() {
    provider = Providers.start(arm, Map.of("watchInterval", "0s"));
    arm.faults().error(ArmFaults.ALWAYS, "GET", GROUPS, 503, "ServerBusy", Map.of());

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);
    ProviderHealth health = provider.health();

    assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(error.retryable()).isTrue();
    assertThat(error.getMessage()).contains("503", "ServerBusy");
    assertThat(arm.requests("GET", GROUPS))
        .as("the first try and maxRetries=2 retries of list(), then the same for health()")
        .hasSize(6);
    assertThat(health.status()).isEqualTo(ProviderHealth.Status.UNHEALTHY);
    assertThat(health.detail()).contains("503");
  }

  @Test
  void aSlowAnswerIsRetriedAndPersistentSlownessIsATimeout() {
    provider = Providers.start(arm, Map.of("watchInterval", "0s", "requestTimeout", "500ms"));
    WorkerHandle handle = provider.provision(Providers.spec("w-slow"));
    arm.clearRequests();
    arm.faults().delay(1, "GET", "/containerGroups/hodei-w-slow", Duration.ofSeconds(2));

    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.RUNNING);
    assertThat(arm.requests("GET", "/containerGroups/hodei-w-slow")).hasSize(2);

    arm.faults()
        .delay(ArmFaults.ALWAYS, "GET", "/containerGroups/hodei-w-slow", Duration.ofSeconds(2));
    ProviderException error =
        catchThrowableOfType(ProviderException.class, () -> provider.status(handle));
    assertThat(error.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(error.retryable()).isTrue();
  }

  @Test
  void aDroppedConnectionIsRetried() {
    provider = Providers.start(arm, Map.of("watchInterval", "0s"));
    arm.faults().reset(1, "GET", GROUPS);

    assertThat(provider.list()).isEmpty();
    assertThat(arm.requests("GET", GROUPS)).hasSize(2);
  }

  @Test
  void anImageThatCannotBePulledFailsProvisionWithInvalidSpecAndLeavesNoGroup() {
    arm.runtime(
        group ->
            group.failedToStart(
                "InaccessibleImage",
                "The image 'hodei/agent-runtime:test' in container group '"
                    + group.name()
                    + "' is not accessible. Please check the image and registry credential."));
    provider = Providers.start(arm, Map.of("watchInterval", "0s"));

    ProviderException error =
        catchThrowableOfType(
            ProviderException.class, () -> provider.provision(Providers.spec("w-badimage")));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_SPEC);
    assertThat(error.getMessage()).contains("InaccessibleImage", "is not accessible");
    assertThat(arm.requests("DELETE", "/containerGroups/hodei-w-badimage"))
        .as("the failed group is deleted right away")
        .hasSize(1);
  }

  @Test
  void aFullSubscriptionIsCapacityExhausted() {
    provider = Providers.start(arm, Map.of("watchInterval", "0s"));
    arm.faults().error(1, "PUT", GROUPS, 409, "ContainerGroupQuotaReached", Map.of());

    ProviderException error =
        catchThrowableOfType(
            ProviderException.class, () -> provider.provision(Providers.spec("w-quota")));

    assertThat(error.code()).isEqualTo(ErrorCode.CAPACITY_EXHAUSTED);
    assertThat(error.retryable()).isTrue();
  }

  @Test
  void aMissingRoleIsPermissionDenied() {
    provider = Providers.start(arm, Map.of("watchInterval", "0s"));
    arm.faults().error(1, "PUT", GROUPS, 403, "AuthorizationFailed", Map.of());

    ProviderException error =
        catchThrowableOfType(
            ProviderException.class, () -> provider.provision(Providers.spec("w-forbidden")));

    assertThat(error.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    assertThat(error.getMessage()).contains("AuthorizationFailed", "docs/providers/aci.md");
  }

  @Test
  void aResourceGroupThatDoesNotExistIsAConfigurationError() {
    provider = Providers.start(arm, Map.of("watchInterval", "0s", "resourceGroup", "nowhere"));

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    assertThat(error.getMessage()).contains("ResourceGroupNotFound", "resourceGroup");
    assertThat(provider.health().acceptsWork()).isFalse();
  }

  @Test
  void aGroupResourceManagerRejectsFailsWithInvalidSpecAndItsReason() {
    provider = Providers.start(arm, Map.of("watchInterval", "0s", "maxCpuCores", "8"));

    ProviderException error =
        catchThrowableOfType(
            ProviderException.class,
            () -> provider.provision(Providers.spec("w-big", Resources.of(6_000, 1024))));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_SPEC);
    assertThat(error.getMessage()).contains("400", "ResourceRequestsExceedLimits");
  }
}
