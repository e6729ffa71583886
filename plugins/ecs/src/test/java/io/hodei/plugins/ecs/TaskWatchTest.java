package io.hodei.plugins.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingClock;
import io.hodei.plugins.ecs.fake.FakeEcs;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What happens to a task outside the host's control is reported as a worker event and in status():
 * the job's exit, infrastructure failures, and a task that disappears from ECS.
 */
class TaskWatchTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private FakeEcs fake;
  private final RecordingEventSink events = new RecordingEventSink();
  private EcsProvider provider;

  @BeforeEach
  void start() {
    fake = TestSettings.fake();
    provider =
        TestSettings.started(
            TestSettings.with(TestSettings.forFake(fake), "pollInterval", "100ms"),
            TestSettings.credentials(),
            events,
            TestingClock.startingNow());
  }

  @AfterEach
  void stop() {
    provider.close();
    fake.close();
  }

  @Test
  void theJobsExitIsReportedWithItsExitCode() throws Exception {
    WorkerHandle handle = running(Workers.spec(Resources.of(100, 64)));

    fake.exit(handle.resourceId(), 3);

    WorkerEvent event = awaitEvent(handle);
    assertThat(event.kind()).isEqualTo(WorkerEvent.Kind.EXITED);
    assertThat(event.detail()).isEqualTo("exit code 3");
    WorkerStatus status = provider.status(handle);
    assertThat(status.state()).isEqualTo(WorkerState.EXITED);
    assertThat(status.exitCode()).contains(3);
  }

  @Test
  void aSpotInterruptionIsReportedAsAnInfrastructureFailure() throws Exception {
    WorkerHandle handle = running(Workers.spec(Resources.of(100, 64)));

    fake.stopByAws(
        handle.resourceId(), "SpotInterruption", "Your Spot Task was interrupted.", null);

    WorkerEvent event = awaitEvent(handle);
    assertThat(event.kind()).isEqualTo(WorkerEvent.Kind.FAILED);
    assertThat(event.detail())
        .startsWith("infrastructure failure: Spot interruption")
        .contains("Your Spot Task was interrupted.");
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.FAILED);
  }

  @Test
  void anImageThatCannotBePulledIsReportedAsAnInfrastructureFailure() throws Exception {
    WorkerHandle handle =
        provider.provision(
            Workers.spec(Resources.of(100, 64), Optional.of("registry.example/unpullable:1")));

    WorkerEvent event = awaitEvent(handle);

    assertThat(event.kind()).isEqualTo(WorkerEvent.Kind.FAILED);
    assertThat(event.detail()).startsWith("infrastructure failure: image pull failed: ");
    assertThat(provider.status(handle).detail()).contains("CannotPullContainerError");
  }

  @Test
  void aTaskThatDisappearsFromEcsIsReportedAsVanishedAndNotFound() throws Exception {
    WorkerHandle handle = running(Workers.spec(Resources.of(100, 64)));
    provider.pollNow();

    fake.forget(handle.resourceId());

    WorkerEvent event = awaitEvent(handle);
    assertThat(event.kind()).isEqualTo(WorkerEvent.Kind.VANISHED);
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.NOT_FOUND);
  }

  @Test
  void workersTheHostTerminatesAreNotReported() throws Exception {
    WorkerHandle handle = running(Workers.spec(Resources.of(100, 64)));

    provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.JOB_FINISHED));
    awaitState(handle, WorkerState.EXITED);
    fake.forget(handle.resourceId());
    // Two full polls after the task stopped and was forgotten.
    provider.pollNow();
    provider.pollNow();

    assertThat(events.eventsFor(handle.workerId())).isEmpty();
    assertThat(fake.task(handle.resourceId())).isEmpty();
  }

  @Test
  void stopTaskCarriesTheHostsReason() throws Exception {
    WorkerHandle handle = running(Workers.spec(Resources.of(100, 64)));

    provider.terminate(handle, new TerminationReason(TerminationReason.Cause.IDLE, "idle for 10m"));

    assertThat(fake.requests("StopTask")).hasSize(1);
    assertThat(fake.requests("StopTask").get(0).body().path("reason").asText())
        .isEqualTo("hodei: IDLE: idle for 10m");
  }

  private WorkerHandle running(WorkerSpec spec) throws InterruptedException {
    WorkerHandle handle = provider.provision(spec);
    awaitState(handle, WorkerState.RUNNING);
    return handle;
  }

  private void awaitState(WorkerHandle handle, WorkerState state) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (provider.status(handle).state() != state) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(handle + " did not reach " + state);
      }
      Thread.sleep(50);
    }
  }

  private WorkerEvent awaitEvent(WorkerHandle handle) throws InterruptedException {
    return events
        .await(e -> e.workerId().equals(handle.workerId()), WAIT)
        .orElseThrow(() -> new AssertionError("no event for " + handle.workerId()));
  }
}
