package io.hodei.plugins.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingClock;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the provider reports about worker pods that the cluster, not the host, changes. */
class WorkerWatchTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private MockCluster cluster;
  private FakeKubelet kubelet;
  private final RecordingEventSink events = new RecordingEventSink();
  private final TestingClock clock = TestingClock.startingNow();
  private KubernetesProvider provider;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    kubelet = FakeKubelet.schedulingNothing(cluster.client());
    provider = new KubernetesProvider();
    provider.initialize(
        new ProviderContext(
            "watch",
            "install-1",
            new ProviderConfig(
                "watch",
                TestSettings.with(TestSettings.forMock(cluster.url()), "pendingTimeout", "5m")),
            TestingCredentialHandle.empty().with(MockCluster.TOKEN_REFERENCE, "t"),
            events,
            clock));
  }

  @AfterEach
  void stop() throws InterruptedException {
    provider.close();
    kubelet.close();
    cluster.close();
  }

  @Test
  void aPodDeletedFromOutsideIsReportedAsVanished() throws Exception {
    WorkerHandle handle =
        provider.provision(GoldenFilesTest.spec("w-vanish", Resources.of(100, 64), Map.of()));
    Pod pod = KubernetesProviderContractTestPods.await(cluster, handle);
    FakeKubelet.setStatus(cluster.client(), pod, FakeKubelet.running());

    cluster.client().pods().inNamespace("ci").withName(pod.getMetadata().getName()).delete();

    Optional<WorkerEvent> event = events.await(e -> e.workerId().equals("w-vanish"), WAIT);
    assertThat(event).as("an event for the deleted pod").isPresent();
    assertThat(event.get().kind()).isEqualTo(WorkerEvent.Kind.VANISHED);
    assertThat(event.get().detail()).contains("deleted outside Hodei");
  }

  @Test
  void anEvictedPodIsAnInfrastructureFailure() throws Exception {
    WorkerHandle handle =
        provider.provision(GoldenFilesTest.spec("w-evict", Resources.of(100, 64), Map.of()));
    Pod pod = KubernetesProviderContractTestPods.await(cluster, handle);

    FakeKubelet.setStatus(
        cluster.client(),
        pod,
        new PodStatusBuilder()
            .withPhase("Failed")
            .withReason("Evicted")
            .withMessage("The node was low on resource: memory.")
            .build());

    Optional<WorkerEvent> event = events.await(e -> e.workerId().equals("w-evict"), WAIT);
    assertThat(event).isPresent();
    assertThat(event.get().kind()).isEqualTo(WorkerEvent.Kind.FAILED);
    assertThat(event.get().detail())
        .isEqualTo("infrastructure failure: Evicted: The node was low on resource: memory.");
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.FAILED);
  }

  @Test
  void aFailedImagePullIsAnInfrastructureFailure() throws Exception {
    WorkerHandle handle =
        provider.provision(GoldenFilesTest.spec("w-image", Resources.of(100, 64), Map.of()));
    Pod pod = KubernetesProviderContractTestPods.await(cluster, handle);

    FakeKubelet.setStatus(
        cluster.client(),
        pod,
        new PodStatusBuilder()
            .withPhase("Pending")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("worker")
                    .withNewState()
                    .withNewWaiting()
                    .withReason("ImagePullBackOff")
                    .withMessage("Back-off pulling image \"example/missing:1\"")
                    .endWaiting()
                    .endState()
                    .build())
            .build());

    Optional<WorkerEvent> event = events.await(e -> e.workerId().equals("w-image"), WAIT);
    assertThat(event).isPresent();
    assertThat(event.get().kind()).isEqualTo(WorkerEvent.Kind.FAILED);
    assertThat(event.get().detail())
        .startsWith("infrastructure failure: image pull failed: ImagePullBackOff");
  }

  @Test
  void aPodPendingPastItsDeadlineIsDeletedWithTheSchedulersReason() throws Exception {
    WorkerHandle handle =
        provider.provision(GoldenFilesTest.spec("w-pending", Resources.of(100, 64), Map.of()));
    Pod pod = KubernetesProviderContractTestPods.await(cluster, handle);
    FakeKubelet.setStatus(
        cluster.client(),
        pod,
        new PodStatusBuilder()
            .withPhase("Pending")
            .withConditions(
                new PodConditionBuilder()
                    .withType("PodScheduled")
                    .withStatus("False")
                    .withReason("Unschedulable")
                    .withMessage("0/3 nodes are available: 3 Insufficient memory.")
                    .build())
            .build());
    Thread.sleep(500); // a sweep sees it pending before time moves
    assertThat(events.eventsFor("w-pending")).as("nothing to report before the deadline").isEmpty();

    clock.advance(Duration.ofMinutes(6));

    Optional<WorkerEvent> event = events.await(e -> e.workerId().equals("w-pending"), WAIT);
    assertThat(event).isPresent();
    assertThat(event.get().kind()).isEqualTo(WorkerEvent.Kind.FAILED);
    assertThat(event.get().detail())
        .isEqualTo(
            "infrastructure failure: pending for longer than PT5M (pendingTimeout), deleted:"
                + " Unschedulable: 0/3 nodes are available: 3 Insufficient memory.");
    assertThat(
            cluster
                .client()
                .batch()
                .v1()
                .jobs()
                .inNamespace("ci")
                .withName(handle.resourceId())
                .get())
        .as("the Job of a worker that never started")
        .isNull();
    Thread.sleep(500);
    assertThat(events.eventsFor("w-pending"))
        .as("one event, no VANISHED for our own deletion")
        .hasSize(1);
  }
}
