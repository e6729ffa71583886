package io.hodei.plugins.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.api.core.NanoClock;
import com.google.api.gax.retrying.ExponentialRetryAlgorithm;
import com.google.api.gax.retrying.TimedAttemptSettings;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import io.hodei.plugins.cloudrun.fake.FakeCloudRun;
import io.hodei.plugins.cloudrun.fake.Fault;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Throttling, server errors and slow answers: retried with backoff, then reported. */
class FaultsTest {

  private static final String RUN = ".*/jobs/[^/]+:run";
  private static final String JOB_LIST = ".*/locations/[^/]+/jobs";
  private static final String EXECUTION = ".*/executions/[^/:]+";

  private FakeCloudRun cloudRun;
  private CloudRunProvider provider;

  @BeforeEach
  void start() {
    cloudRun = FakeCloudRun.start();
    String key = cloudRun.oauth().newServiceAccountKey("hodei-faults");
    provider =
        TestWorkers.start(
            TestSettings.with(
                TestSettings.forFake(cloudRun),
                "requestTimeout",
                "500ms",
                "retryMaxAttempts",
                "4",
                "retryTotalTimeout",
                "8s"),
            TestingCredentialHandle.empty().with(TestSettings.KEY_REFERENCE, key),
            new RecordingEventSink());
  }

  @AfterEach
  void stop() {
    provider.close();
    cloudRun.close();
  }

  @Test
  void throttledRunJobIsRetriedAndStartsOneWorker() {
    Fault throttle = cloudRun.inject(Fault.throttle("POST", RUN, 2, 1));

    WorkerHandle handle = provider.provision(TestWorkers.spec());

    assertThat(throttle.remaining()).as("both throttled answers were used").isZero();
    assertThat(cloudRun.requests()).filteredOn(r -> r.path().endsWith(":run")).hasSize(3);
    assertThat(cloudRun.executions()).containsOnlyKeys(handle.resourceId());
  }

  @Test
  void persistentThrottlingIsReportedAsRetryableAndDegradesHealth() {
    cloudRun.inject(Fault.throttle("GET", JOB_LIST, 1_000, 30));

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);
    ProviderHealth health = provider.health();

    assertThat(error.code()).isEqualTo(ErrorCode.THROTTLED);
    assertThat(error.retryable()).isTrue();
    assertThat(cloudRun.requests())
        .as("list() tried as often as retryMaxAttempts allows")
        .filteredOn(r -> r.method().equals("GET") && r.path().matches(JOB_LIST))
        .hasSizeGreaterThanOrEqualTo(4);
    assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
    assertThat(health.acceptsWork()).isTrue();
  }

  @Test
  void serverErrorsAreRetriedThenReportedAsUnavailableAndUnhealthy() {
    cloudRun.inject(Fault.error("GET", JOB_LIST, 1_000, 503, "UNAVAILABLE"));

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);
    ProviderHealth health = provider.health();

    assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(error.retryable()).isTrue();
    assertThat(error.getMessage()).contains("UNAVAILABLE");
    assertThat(cloudRun.requests())
        .filteredOn(r -> r.path().matches(JOB_LIST))
        .hasSizeGreaterThanOrEqualTo(4);
    assertThat(health.acceptsWork()).isFalse();
    assertThat(health.detail()).contains("UNAVAILABLE");
  }

  @Test
  void aPassingServerErrorIsRetriedUnnoticed() {
    cloudRun.inject(Fault.error("POST", ".*/locations/[^/]+/jobs", 1, 500, "INTERNAL"));
    cloudRun.inject(Fault.error("GET", EXECUTION, 1, 503, "UNAVAILABLE"));

    WorkerHandle handle = provider.provision(TestWorkers.spec());

    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.RUNNING);
    assertThat(cloudRun.jobs()).hasSize(1);
  }

  @Test
  void aSlowAnswerIsRetriedAndAPersistentlySlowOneIsATimeout() {
    WorkerHandle handle = provider.provision(TestWorkers.spec());
    cloudRun.inject(Fault.slow("GET", EXECUTION, 1, Duration.ofSeconds(2)));

    assertThat(provider.status(handle).state())
        .as("status after one answer slower than requestTimeout")
        .isEqualTo(WorkerState.RUNNING);

    cloudRun.inject(Fault.slow("GET", EXECUTION, 1_000, Duration.ofSeconds(2)));
    ProviderException error =
        catchThrowableOfType(ProviderException.class, () -> provider.status(handle));

    assertThat(error.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(error.retryable()).isTrue();
  }

  @Test
  void theBackoffDoublesAndIsJittered() {
    CloudRunSettings.Retry retry =
        new CloudRunSettings.Retry(
            Duration.ofSeconds(20),
            Duration.ofMillis(500),
            Duration.ofSeconds(8),
            6,
            Duration.ofSeconds(45));
    ExponentialRetryAlgorithm algorithm =
        new ExponentialRetryAlgorithm(ClientRetries.calls(retry), NanoClock.getDefaultClock());

    Set<Duration> firstWaits = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      TimedAttemptSettings first = algorithm.createFirstAttempt();
      TimedAttemptSettings second = algorithm.createNextAttempt(first);
      firstWaits.add(second.getRandomizedRetryDelayDuration());
      assertThat(second.getRetryDelayDuration()).isEqualTo(Duration.ofMillis(500));
      assertThat(second.getRandomizedRetryDelayDuration())
          .isBetween(Duration.ZERO, Duration.ofMillis(500));
      TimedAttemptSettings third = algorithm.createNextAttempt(second);
      assertThat(third.getRetryDelayDuration()).isEqualTo(Duration.ofSeconds(1));
    }
    assertThat(firstWaits).as("waits drawn at random below the delay").hasSizeGreaterThan(10);
    assertThat(ClientRetries.IDEMPOTENT)
        .extracting(Enum::name)
        .contains("RESOURCE_EXHAUSTED", "UNAVAILABLE", "DEADLINE_EXCEEDED");
  }

  @Test
  void aThrottledRunIsNotCountedAsAWorker() {
    cloudRun.inject(Fault.throttle("POST", RUN, 1_000, 5));

    ProviderException error =
        catchThrowableOfType(ProviderException.class, () -> provider.provision(TestWorkers.spec()));

    assertThat(error.code()).isEqualTo(ErrorCode.THROTTLED);
    assertThat(cloudRun.executions()).isEmpty();
    assertThat(provider.list()).isEmpty();
    assertThat(Map.copyOf(cloudRun.jobs())).hasSize(1);
  }
}
