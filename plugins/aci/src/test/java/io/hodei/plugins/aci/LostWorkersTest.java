package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import io.hodei.plugin.tck.RecordingEventSink;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workers that end or disappear outside the host's control are reported: through {@code status} and
 * through events the host turns into LOST or FAILED workers.
 */
class LostWorkersTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeArm arm = TestSettings.startFake();
  private final RecordingEventSink events = new RecordingEventSink();
  private AciProvider provider;

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.close();
    }
    arm.close();
  }

  private void start(Map<String, String> overrides) {
    provider =
        Providers.start(
            arm, TestSettings.tokenCredentials(), overrides, new EntraAuthentication(), events);
  }

  @Test
  void aGroupDeletedOutsideHodeiIsNotFoundAndReportedVanished() throws Exception {
    start(Map.of());
    WorkerHandle handle = provider.provision(Providers.spec("w-vanishing"));
    awaitSeenByWatch();

    arm.deleteOutside(handle.resourceId());

    Optional<WorkerEvent> event = events.await(e -> e.workerId().equals("w-vanishing"), WAIT);
    assertThat(event).isPresent();
    assertThat(event.get().kind()).isEqualTo(WorkerEvent.Kind.VANISHED);
    assertThat(event.get().detail()).contains("deleted outside Hodei");
    WorkerStatus status = provider.status(handle);
    assertThat(status.state()).isEqualTo(WorkerState.NOT_FOUND);
    assertThat(status.detail()).contains(handle.resourceId(), "does not exist");
  }

  @Test
  void aGroupThatFailsToStartAfterProvisionReturnedIsReportedFailed() throws Exception {
    CompletableFuture<FakeGroup> created = new CompletableFuture<>();
    arm.runtime(created::complete);
    // provision() stops following the creation quickly, as it does when Azure is slow.
    start(Map.of("provisionWait", "200ms"));
    WorkerHandle handle = provider.provision(Providers.spec("w-late-failure"));
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.PENDING);

    created
        .get(5, TimeUnit.SECONDS)
        .failedToStart(
            "InaccessibleImage",
            "The image 'hodei/agent-runtime:test' is not accessible. Please check the image.");

    Optional<WorkerEvent> event = events.await(e -> e.workerId().equals("w-late-failure"), WAIT);
    assertThat(event).isPresent();
    assertThat(event.get().kind()).isEqualTo(WorkerEvent.Kind.FAILED);
    WorkerStatus status = provider.status(handle);
    assertThat(status.state()).isEqualTo(WorkerState.FAILED);
    assertThat(status.detail())
        .startsWith(GroupVerdict.INFRASTRUCTURE)
        .contains("is not accessible");
  }

  @Test
  void aWorkerContainerThatExitsShowsItsExitCode() throws Exception {
    CompletableFuture<FakeGroup> created = new CompletableFuture<>();
    arm.runtime(
        group -> {
          group.running();
          created.complete(group);
        });
    start(Map.of("watchInterval", "0s"));
    WorkerHandle handle = provider.provision(Providers.spec("w-exiting"));
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.RUNNING);

    created.get(5, TimeUnit.SECONDS).exited(3);

    WorkerStatus status = provider.status(handle);
    assertThat(status.state()).isEqualTo(WorkerState.EXITED);
    assertThat(status.exitCode()).contains(3);
  }

  @Test
  void workersTheHostTerminatesAreNotReported() throws Exception {
    start(Map.of());
    WorkerHandle handle = provider.provision(Providers.spec("w-terminated"));
    awaitSeenByWatch();

    provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.JOB_FINISHED));
    // Several watch rounds pass over the deletion.
    Thread.sleep(1_500);

    assertThat(events.eventsFor("w-terminated")).isEmpty();
    assertThat(arm.group(handle.resourceId())).isEmpty();
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.NOT_FOUND);
  }

  /** Waits until the watch listed the groups at least once after provisioning. */
  private void awaitSeenByWatch() throws InterruptedException {
    long before = listings();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (listings() < before + 1 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private long listings() {
    return arm.requests("GET", "/containerGroups").stream()
        .filter(r -> r.path().endsWith("/containerGroups"))
        .count();
  }
}
