package io.hodei.plugins.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingClock;
import io.hodei.plugins.ecs.fake.FakeEcs;
import io.hodei.plugins.ecs.fake.FakeEcs.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Throttling, server errors, slow answers and dropped connections are retried with backoff; what
 * still fails afterwards is a retryable error, and an UNHEALTHY instance in health(). The settings
 * allow 4 attempts per call.
 */
class RetriesAndFaultsTest {

  private static final int ATTEMPTS = 4;

  private FakeEcs fake;
  private EcsProvider provider;

  @BeforeEach
  void start() {
    fake = TestSettings.fake();
    provider =
        TestSettings.started(
            // No background polls: the tests count the requests of their own calls.
            TestSettings.with(TestSettings.forFake(fake), "pollInterval", "1h"),
            TestSettings.credentials(),
            new RecordingEventSink(),
            TestingClock.startingNow());
    fake.clearRequests();
  }

  @AfterEach
  void stop() {
    provider.close();
    fake.close();
  }

  @Test
  void throttledCallsSucceedAfterRetries() {
    fake.failNext("ListTasks", 2, Fault.THROTTLING);

    provider.list();

    assertThat(fake.requests("ListTasks"))
        .as("two throttled ListTasks, then the one that succeeded")
        .hasSize(3);
  }

  @Test
  void aThrottledRunTaskStartsExactlyOneTask() {
    fake.failNext("RunTask", 2, Fault.THROTTLING);

    WorkerHandle handle = provider.provision(Workers.spec(Resources.of(500, 1024)));

    assertThat(fake.requests("RunTask")).hasSize(3);
    assertThat(fake.tasks()).extracting(t -> t.arn()).containsExactly(handle.resourceId());
  }

  @Test
  void aRunTaskWhoseAnswerWasLostDoesNotStartASecondTask() {
    // The first RunTask reaches ECS, its answer does not reach us; the retry carries the same
    // client token, and ECS answers with the task the first one started.
    fake.failNext("RunTask", 1, Fault.SLOW);

    WorkerHandle handle = provider.provision(Workers.spec(Resources.of(500, 1024)));

    assertThat(fake.requests("RunTask")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(fake.tasks()).extracting(t -> t.arn()).containsExactly(handle.resourceId());
  }

  @Test
  void persistentThrottlingIsReportedAsThrottledAndHealthIsDegraded() {
    fake.failAlways("ListTasks", Fault.THROTTLING);
    fake.failAlways("DescribeClusters", Fault.THROTTLING);

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);
    ProviderHealth health = provider.health();

    assertThat(error.code()).isEqualTo(ErrorCode.THROTTLED);
    assertThat(error.retryable()).isTrue();
    assertThat(error.getMessage()).contains("ThrottlingException").contains("Rate exceeded");
    assertThat(fake.requests("ListTasks")).hasSize(ATTEMPTS);
    assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
    assertThat(health.acceptsWork()).isTrue();
  }

  @Test
  void serverErrorsAreRetriedThenReportedAsUnavailableAndUnhealthy() {
    fake.failAlways("ListTasks", Fault.SERVER_ERROR);
    fake.failAlways("DescribeClusters", Fault.SERVER_ERROR);

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);
    ProviderHealth health = provider.health();

    assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(error.retryable()).isTrue();
    assertThat(error.getMessage()).contains("ServerException (500)");
    assertThat(fake.requests("ListTasks")).hasSize(ATTEMPTS);
    assertThat(health.acceptsWork()).isFalse();
    assertThat(health.detail()).contains("ServerException");
    assertThat(fake.requests("DescribeClusters")).hasSize(ATTEMPTS);
  }

  @Test
  void aServiceUnavailableAnswerIsRetried() {
    fake.failNext("DescribeClusters", 2, Fault.UNAVAILABLE);

    assertThat(provider.health().status()).isEqualTo(ProviderHealth.Status.HEALTHY);
    assertThat(fake.requests("DescribeClusters")).hasSize(3);
  }

  @Test
  void slowAnswersTimeOutAndAreRetried() {
    fake.failNext("ListTasks", 1, Fault.SLOW);

    provider.list();

    assertThat(fake.requests("ListTasks")).hasSize(2);
  }

  @Test
  void anEndpointThatNeverAnswersInTimeIsATimeoutAndUnhealthy() {
    fake.failAlways("ListTasks", Fault.SLOW);
    fake.failAlways("DescribeClusters", Fault.SLOW);

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);

    assertThat(error.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(error.retryable()).isTrue();
    assertThat(fake.requests("ListTasks")).hasSize(ATTEMPTS);
    assertThat(provider.health().acceptsWork()).isFalse();
  }

  @Test
  void droppedConnectionsAreRetried() {
    fake.failNext("ListTasks", 2, Fault.RESET);

    provider.list();

    assertThat(fake.requests("ListTasks")).hasSize(3);
  }

  @Test
  void anEndpointThatDropsEveryConnectionIsUnavailable() {
    fake.failAlways("ListTasks", Fault.RESET);

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);

    assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(fake.requests("ListTasks")).hasSize(ATTEMPTS);
  }

  @Test
  void noCapacityForTheTaskIsCapacityExhausted() {
    fake.failRunTasks("RESOURCE:MEMORY");

    ProviderException error =
        catchThrowableOfType(
            ProviderException.class,
            () -> provider.provision(Workers.spec(Resources.of(500, 1024))));

    assertThat(error.code()).isEqualTo(ErrorCode.CAPACITY_EXHAUSTED);
    assertThat(error.getMessage()).contains("RESOURCE:MEMORY");
  }
}
