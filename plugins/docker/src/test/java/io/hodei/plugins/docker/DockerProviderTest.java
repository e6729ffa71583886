package io.hodei.plugins.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a user of the Docker provider sees when things go wrong on the engine, and the limits. */
@ExtendWith(TestImages.class)
class DockerProviderTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String installation = "test-" + run;
  private final RecordingEventSink events = new RecordingEventSink();
  private final List<DockerProvider> providers = new ArrayList<>();

  @AfterEach
  void closeProviders() {
    providers.forEach(DockerProvider::close);
    // Containers are removed by label when the run ends (TestImages), even if a test fails.
  }

  @Test
  void aContainerKilledFromOutsideIsReportedAsFailedWithItsExitCode() throws Exception {
    DockerProvider provider = start(installation, DockerTestConfig.injecting(TestImages.get()));
    WorkerHandle handle = provider.provision(spec(installation, Resources.of(100, 128)));
    // Once the agent has said something, its words must travel with the event.
    await(() -> provider.lastOutput(handle, 5), lines -> !lines.isEmpty());

    DockerCli.run("kill", handle.resourceId());

    Optional<WorkerEvent> event =
        events.await(e -> e.workerId().equals(handle.workerId()), DEADLINE);
    assertThat(event).as("an event for %s after docker kill", handle.workerId()).isPresent();
    assertThat(event.get().kind()).isEqualTo(WorkerEvent.Kind.FAILED);
    assertThat(event.get().detail())
        .contains("killed by signal 9 (exit code 137)")
        // The agent's own output, so a person sees what the worker was doing.
        .contains("its last output:");
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.FAILED);
  }

  @Test
  void aContainerRemovedFromOutsideIsReportedAsVanished() throws Exception {
    DockerProvider provider = start(installation, DockerTestConfig.injecting(TestImages.get()));
    WorkerHandle handle = provider.provision(spec(installation, Resources.of(100, 128)));

    DockerCli.run("rm", "-f", handle.resourceId());

    Optional<WorkerEvent> vanished =
        events.await(
            e -> e.workerId().equals(handle.workerId()) && e.kind() == WorkerEvent.Kind.VANISHED,
            DEADLINE);
    assertThat(vanished).as("a VANISHED event after docker rm -f").isPresent();
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.NOT_FOUND);
  }

  @Test
  void terminateRemovesTheContainerWithoutReportingItsEnd() throws Exception {
    DockerProvider provider = start(installation, DockerTestConfig.injecting(TestImages.get()));
    WorkerHandle handle = provider.provision(spec(installation, Resources.of(100, 128)));
    await(() -> provider.status(handle), s -> s.state() == WorkerState.RUNNING);

    provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.JOB_FINISHED));

    assertThat(DockerCli.exists(handle.resourceId())).as("container after terminate").isFalse();
    assertThat(events.await(e -> e.workerId().equals(handle.workerId()), Duration.ofSeconds(3)))
        .as("events for a container Hodei itself terminated")
        .isEmpty();
  }

  @Test
  void anotherInstallationsContainerIsNeitherListedNorTerminated() {
    DockerProvider ours = start(installation, DockerTestConfig.injecting(TestImages.get()));
    String other = "other-" + run;
    DockerProvider theirs = start(other, DockerTestConfig.injecting(TestImages.get()));
    WorkerHandle theirWorker = theirs.provision(spec(other, Resources.of(100, 128)));

    assertThat(ours.list())
        .extracting(WorkerHandle::workerId)
        .doesNotContain(theirWorker.workerId());
    ours.terminate(theirWorker, TerminationReason.of(TerminationReason.Cause.ORPHANED));

    assertThat(DockerCli.inspect(theirWorker.resourceId(), "{{.State.Status}}"))
        .as("the other installation's container after our terminate")
        .isEqualTo("running");
    assertThat(ours.status(theirWorker).state()).isEqualTo(WorkerState.NOT_FOUND);
  }

  @Test
  void aNewInstanceListsTheContainersTheOldOneCreated() {
    DockerProvider before = start(installation, DockerTestConfig.injecting(TestImages.get()));
    WorkerHandle handle = before.provision(spec(installation, Resources.of(100, 128)));
    before.close();

    DockerProvider after = start(installation, DockerTestConfig.injecting(TestImages.get()));

    assertThat(after.list())
        .as("list() of a new instance of the same installation")
        .extracting(WorkerHandle::workerId, WorkerHandle::resourceId)
        .contains(org.assertj.core.groups.Tuple.tuple(handle.workerId(), handle.resourceId()));
  }

  @Test
  void anUnreachableEngineIsReportedUnhealthyWithItsAddress() {
    Map<String, String> config = DockerTestConfig.injecting(TestImages.get());
    config.put("host", "unix:///nonexistent/hodei-test/docker.sock");
    DockerProvider provider = start(installation, config);

    ProviderHealth health = provider.health();

    assertThat(health.status()).isEqualTo(ProviderHealth.Status.UNHEALTHY);
    assertThat(health.detail())
        .contains("cannot reach the Docker engine at unix:///nonexistent/hodei-test/docker.sock");
    ProviderException error =
        catchThrowableOfType(
            ProviderException.class,
            () -> provider.provision(spec(installation, Resources.of(100, 128))));
    assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(error.retryable()).isTrue();
  }

  @Test
  void cpuAndMemoryLimitsReachTheContainer() {
    DockerProvider provider = start(installation, DockerTestConfig.injecting(TestImages.get()));

    WorkerHandle handle = provider.provision(spec(installation, Resources.of(500, 192)));

    assertThat(DockerCli.inspect(handle.resourceId(), "{{.HostConfig.NanoCpus}}"))
        .isEqualTo("500000000");
    assertThat(DockerCli.inspect(handle.resourceId(), "{{.HostConfig.Memory}}"))
        .isEqualTo(String.valueOf(192L * 1024 * 1024));
    assertThat(DockerCli.inspect(handle.resourceId(), "{{.HostConfig.NetworkMode}}"))
        .isEqualTo("host");
  }

  @Test
  void anImageWithTheAgentRunsWithoutInjectionAndItsOutputCanBeRead() {
    DockerProvider provider = start(installation, DockerTestConfig.agentImage(TestImages.get()));
    WorkerHandle handle = provider.provision(spec(installation, Resources.of(100, 128)));
    await(() -> provider.status(handle), s -> s.state() == WorkerState.RUNNING);

    assertThat(DockerCli.inspect(handle.resourceId(), "{{len .Mounts}}"))
        .as("mounts of a container whose image has the agent")
        .isEqualTo("0");
    // The agent cannot reach the test's dead server address and says so on stderr.
    List<String> output = await(() -> provider.lastOutput(handle, 20), lines -> !lines.isEmpty());
    assertThat(output).isNotEmpty();
  }

  @Test
  void aWorkerThatEndsBeforeRegisteringExplainsItselfInItsStatus() {
    DockerProvider provider = start(installation, DockerTestConfig.injecting(TestImages.get()));
    WorkerSpec spec = spec(installation, Resources.of(100, 128));
    Map<String, String> env = new HashMap<>(spec.env());
    env.remove(PluginApi.ENV_SERVER_ADDRESS);
    WorkerHandle handle =
        provider.provision(
            new WorkerSpec(
                spec.workerId(),
                spec.image(),
                spec.resources(),
                env,
                spec.labels(),
                spec.maxLifetime()));

    WorkerStatus status = await(() -> provider.status(handle), s -> s.state().isFinal());

    assertThat(status.state()).isEqualTo(WorkerState.EXITED);
    assertThat(status.exitCode()).contains(2);
    assertThat(status.detail())
        .contains("exited with code 2")
        .contains(PluginApi.ENV_SERVER_ADDRESS);
  }

  @Test
  void anImageMissingUnderPullPolicyNeverIsASpecErrorThatSaysWhatToDo() {
    DockerProvider provider = start(installation, DockerTestConfig.injecting(TestImages.get()));
    WorkerSpec spec = spec(installation, Resources.of(100, 128));
    WorkerSpec missing =
        new WorkerSpec(
            spec.workerId(),
            Optional.of("hodei-test/not-built:" + run),
            spec.resources(),
            spec.env(),
            spec.labels(),
            spec.maxLifetime());

    ProviderException error =
        catchThrowableOfType(ProviderException.class, () -> provider.provision(missing));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_SPEC);
    assertThat(error.getMessage()).contains("hodei-test/not-built:" + run).contains("'never'");
  }

  // ---- helpers ----

  private DockerProvider start(String installationId, Map<String, String> config) {
    DockerProvider provider = new DockerProvider();
    provider.initialize(
        new ProviderContext(
            "docker-test",
            installationId,
            new ProviderConfig("docker-test", config),
            TestingCredentialHandle.empty(),
            events,
            Clock.systemUTC()));
    providers.add(provider);
    return provider;
  }

  private static WorkerSpec spec(String installationId, Resources resources) {
    String workerId = "w-" + UUID.randomUUID().toString().substring(0, 12);
    return DockerTestConfig.labelled(
        new WorkerSpec(
            workerId,
            Optional.empty(),
            resources,
            Map.of(
                PluginApi.ENV_BOOTSTRAP_TOKEN,
                "token-" + UUID.randomUUID(),
                PluginApi.ENV_SERVER_ADDRESS,
                "127.0.0.1:9",
                PluginApi.ENV_WORKER_ID,
                workerId),
            Map.of(
                PluginApi.LABEL_MANAGED, "true",
                PluginApi.LABEL_INSTALLATION, installationId,
                PluginApi.LABEL_WORKER, workerId),
            Duration.ofMinutes(10)));
  }

  private static <T> T await(Supplier<T> probe, Predicate<T> condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    T value = probe.get();
    while (!condition.test(value) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      value = probe.get();
    }
    assertThat(condition.test(value))
        .as("condition within %s; last value: %s", DEADLINE, value)
        .isTrue();
    return value;
  }
}
