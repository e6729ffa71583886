package io.hodei.plugins.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.run.v2.Job;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import io.hodei.plugins.cloudrun.fake.FakeCloudRun;
import io.hodei.plugins.cloudrun.fake.TaskRunner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What happens to workers on Cloud Run: job reuse, ends of executions, and their events. */
class WorkerLifecycleTest {

  private final RecordingEventSink events = new RecordingEventSink();
  private FakeCloudRun cloudRun;
  private CloudRunProvider provider;

  @BeforeEach
  void start() {
    cloudRun = FakeCloudRun.start();
    String key = cloudRun.oauth().newServiceAccountKey("hodei-lifecycle");
    provider =
        TestWorkers.start(
            TestSettings.with(TestSettings.forFake(cloudRun), "watchInterval", "100ms"),
            TestingCredentialHandle.empty().with(TestSettings.KEY_REFERENCE, key),
            events);
  }

  @AfterEach
  void stop() {
    provider.close();
    cloudRun.close();
  }

  @Test
  void workersOfOneShapeShareAJobAndEachGetsItsOwnExecution() {
    WorkerHandle first = provider.provision(TestWorkers.spec());
    WorkerHandle second = provider.provision(TestWorkers.spec());
    WorkerHandle other =
        provider.provision(TestWorkers.spec("w-other", Optional.of("ghcr.io/acme/builder:2")));

    assertThat(cloudRun.jobs()).hasSize(2);
    assertThat(first.attributes()).isEqualTo(second.attributes());
    assertThat(other.attributes()).isNotEqualTo(first.attributes());
    assertThat(cloudRun.executions())
        .containsOnlyKeys(first.resourceId(), second.resourceId(), other.resourceId());
    assertThat(provider.list())
        .extracting(WorkerHandle::workerId)
        .containsExactlyInAnyOrder(first.workerId(), second.workerId(), "w-other");
  }

  @Test
  void theBootstrapTokenTravelsOnlyInTheExecutionsOverrides() {
    WorkerSpec spec = TestWorkers.spec();
    WorkerHandle handle = provider.provision(spec);

    String token = spec.env().get("HODEI_BOOTSTRAP_TOKEN");
    Job job = cloudRun.jobs().values().iterator().next();
    assertThat(job.toString()).doesNotContain(token);
    assertThat(cloudRun.environmentOf(handle.resourceId()))
        .containsEntry("HODEI_BOOTSTRAP_TOKEN", token)
        .containsEntry("HODEI_WORKER_ID", spec.workerId())
        .containsEntry("HODEI_WORK_DIR", "/workspace");
    assertThat(cloudRun.requests())
        .filteredOn(r -> r.path().endsWith(":run"))
        .singleElement()
        .satisfies(
            run ->
                assertThat(run.body())
                    .contains(token)
                    .contains("\"taskCount\":1")
                    .contains("\"timeout\":\"7200s\""));
  }

  @Test
  void aRetriedProvisionReturnsTheSameExecution() {
    WorkerSpec spec = TestWorkers.spec();

    WorkerHandle first = provider.provision(spec);
    WorkerHandle again = provider.provision(spec);

    assertThat(again).isEqualTo(first);
    assertThat(cloudRun.executions()).hasSize(1);
  }

  @Test
  void aJobDeletedOutsideHodeiIsCreatedAgain() {
    WorkerHandle first = provider.provision(TestWorkers.spec());
    provider.terminate(first, TerminationReason.of(TerminationReason.Cause.JOB_FINISHED));
    String jobName = first.attributes().get(CloudRunProvider.ATTR_JOB);
    deleteJob(jobName);

    WorkerHandle second = provider.provision(TestWorkers.spec());

    assertThat(cloudRun.jobs()).containsOnlyKeys(jobName);
    assertThat(provider.status(second).state()).isEqualTo(WorkerState.RUNNING);
  }

  @Test
  void aWorkerThatEndsByItselfIsExitedAndReported() throws InterruptedException {
    WorkerHandle handle = provider.provision(TestWorkers.spec());
    awaitEventsRound();

    cloudRun.markExited(handle.resourceId(), 0);

    WorkerStatus status = provider.status(handle);
    assertThat(status.state()).isEqualTo(WorkerState.EXITED);
    assertThat(status.exitCode()).contains(0);
    assertThat(events.await(e -> e.workerId().equals(handle.workerId()), Duration.ofSeconds(5)))
        .get()
        .extracting(WorkerEvent::kind)
        .isEqualTo(WorkerEvent.Kind.EXITED);
  }

  @Test
  void aNonZeroExitIsExitedWithCloudRunsMessage() {
    WorkerHandle handle = provider.provision(TestWorkers.spec());

    cloudRun.markExited(handle.resourceId(), 3);

    WorkerStatus status = provider.status(handle);
    assertThat(status.state()).isEqualTo(WorkerState.EXITED);
    assertThat(status.detail()).contains("non-zero").contains("exit code 3");
  }

  @Test
  void aPlatformFailureIsFailedAndReported() throws InterruptedException {
    WorkerHandle handle = provider.provision(TestWorkers.spec());
    awaitEventsRound();

    cloudRun.markInfrastructureFailure(handle.resourceId(), "Image 'x' not found.");

    WorkerStatus status = provider.status(handle);
    assertThat(status.state()).isEqualTo(WorkerState.FAILED);
    assertThat(status.detail())
        .startsWith(ExecutionVerdict.INFRASTRUCTURE)
        .contains("CONTAINER_MISSING")
        .contains("Image 'x' not found.");
    assertThat(events.await(e -> e.workerId().equals(handle.workerId()), Duration.ofSeconds(5)))
        .get()
        .extracting(WorkerEvent::kind)
        .isEqualTo(WorkerEvent.Kind.FAILED);
  }

  @Test
  void anExecutionDeletedOutsideHodeiIsNotFoundAndReportedAsVanished() throws InterruptedException {
    WorkerHandle handle = provider.provision(TestWorkers.spec());
    awaitEventsRound();

    cloudRun.deleteOutsideHodei(handle.resourceId());

    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.NOT_FOUND);
    assertThat(events.await(e -> e.workerId().equals(handle.workerId()), Duration.ofSeconds(5)))
        .get()
        .extracting(WorkerEvent::kind)
        .isEqualTo(WorkerEvent.Kind.VANISHED);
  }

  @Test
  void terminateCancelsARunningExecutionThenDeletesItWithoutAnEvent() throws InterruptedException {
    WorkerHandle handle = provider.provision(TestWorkers.spec());
    awaitEventsRound();
    cloudRun.clearRequests();

    provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.JOB_STOPPED));

    List<String> calls =
        cloudRun.requests().stream()
            .map(r -> r.method() + " " + r.path().substring(r.path().lastIndexOf('/') + 1))
            .filter(call -> !call.startsWith("GET hodei-"))
            .toList();
    assertThat(calls).filteredOn(c -> c.endsWith(":cancel")).hasSize(1);
    assertThat(calls.indexOf(calls.stream().filter(c -> c.endsWith(":cancel")).findFirst().get()))
        .isLessThan(
            calls.indexOf(calls.stream().filter(c -> c.startsWith("DELETE")).findFirst().get()));
    assertThat(cloudRun.executions()).isEmpty();
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.NOT_FOUND);
    awaitEventsRound();
    assertThat(events.eventsFor(handle.workerId())).isEmpty();
  }

  @Test
  void aPendingExecutionIsPendingWithCloudRunsReason() {
    cloudRun.runner(TaskRunner.neverStart());

    WorkerHandle handle = provider.provision(TestWorkers.spec());

    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.PENDING);
  }

  @Test
  void listFollowsPageTokens() {
    cloudRun.pageSize(1);
    provider.provision(TestWorkers.spec());
    provider.provision(TestWorkers.spec());
    provider.provision(TestWorkers.spec("w-big", Optional.of("ghcr.io/acme/builder:2")));

    assertThat(provider.list()).hasSize(3);
  }

  private void deleteJob(String jobName) {
    // As an operator would with the console: no Hodei code involved.
    try {
      var request =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(cloudRun.endpoint() + "/v2/" + jobName))
              .header("Authorization", "Bearer " + operatorToken())
              .DELETE()
              .build();
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private String operatorToken() {
    return cloudRun.oauth().tokenFor(cloudRun.oauth().newServiceAccountKey("operator"));
  }

  /** Lets the watch take one look at the current state, so later changes are news to it. */
  private static void awaitEventsRound() throws InterruptedException {
    Thread.sleep(300);
  }
}
