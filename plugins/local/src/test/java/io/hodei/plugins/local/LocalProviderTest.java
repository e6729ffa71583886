package io.hodei.plugins.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerState;
import io.hodei.plugin.api.WorkerStatus;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the TCK cannot see: restarts, process trees, self-exits and this host's limits. */
class LocalProviderTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String INSTALLATION = "install-" + UUID.randomUUID();

  @TempDir Path workDir;

  private final RecordingEventSink events = new RecordingEventSink();
  private final List<LocalProvider> providers = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    LocalProvider janitor = start("sleep 300", Map.of());
    janitor
        .list()
        .forEach(
            h ->
                janitor.terminate(h, TerminationReason.of(TerminationReason.Cause.ADMINISTRATIVE)));
    providers.forEach(LocalProvider::close);
  }

  @Test
  void aNewInstanceAdoptsTheWorkersOfTheLastOneAndTerminatesThem() {
    LocalProvider before = start("sleep 300", Map.of());
    WorkerHandle handle = before.provision(spec());
    long pid = Long.parseLong(handle.resourceId());
    before.close();

    LocalProvider after = start("sleep 300", Map.of());

    assertThat(after.list()).extracting(WorkerHandle::workerId).containsExactly(handle.workerId());
    assertThat(after.status(handle).state()).isEqualTo(WorkerState.RUNNING);
    after.terminate(handle, TerminationReason.of(TerminationReason.Cause.ORPHANED));
    assertThat(
            eventually(
                () -> ProcessHandle.of(pid).isEmpty() || !ProcessHandle.of(pid).get().isAlive()))
        .as("the adopted process %s ended", pid)
        .isTrue();
    assertThat(after.list()).isEmpty();
  }

  @Test
  void anAdoptedWorkerThatDiesIsReported() throws Exception {
    LocalProvider before = start("sleep 300", Map.of());
    WorkerHandle handle = before.provision(spec());
    before.close();
    LocalProvider after = start("sleep 300", Map.of());

    ProcessHandle.of(Long.parseLong(handle.resourceId())).orElseThrow().destroyForcibly();

    Optional<WorkerEvent> event =
        events.await(e -> e.workerId().equals(handle.workerId()), DEADLINE);
    assertThat(event).as("an event for the adopted worker that died").isPresent();
    assertThat(event.get().kind()).isEqualTo(WorkerEvent.Kind.EXITED);
    assertThat(event.get().detail()).contains("exit code unknown");
    assertThat(after.status(handle).state()).isEqualTo(WorkerState.EXITED);
    assertThat(after.list())
        .as("a dead worker stays listed until the host terminates it")
        .extracting(WorkerHandle::workerId)
        .containsExactly(handle.workerId());
  }

  @Test
  void terminateEndsTheWholeProcessTree() throws Exception {
    LocalProvider provider = start("sh -c 'sleep 300 & wait'", Map.of());
    WorkerHandle handle = provider.provision(spec());
    long child = sleepingDescendant(Long.parseLong(handle.resourceId()));
    long parent = Long.parseLong(handle.resourceId());

    provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.JOB_FINISHED));

    assertThat(gone(parent)).as("the worker's own process %s", parent).isTrue();
    assertThat(gone(child)).as("the worker's child process %s", child).isTrue();
  }

  @Test
  void terminateEndsWhatAKilledWorkerLeftRunning() throws Exception {
    LocalProvider provider = start("sh -c 'sleep 300 & wait'", Map.of());
    WorkerHandle handle = provider.provision(spec());
    long child = sleepingDescendant(Long.parseLong(handle.resourceId()));
    long worker = Long.parseLong(handle.resourceId());

    // A crashed agent: its job is re-parented and no longer its descendant.
    ProcessHandle.of(worker).orElseThrow().destroyForcibly();
    assertThat(gone(worker)).isTrue();
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).contains(true);

    provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.LOST));

    assertThat(gone(child)).as("the orphaned job process %s", child).isTrue();
  }

  @Test
  void aWorkerIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
    LocalProvider provider =
        start("sh -c 'trap \"\" TERM; sleep 300 & wait'", Map.of("terminationGrace", "1s"));
    WorkerHandle handle = provider.provision(spec());
    long pid = Long.parseLong(handle.resourceId());
    assertThat(
            eventually(() -> ProcessHandle.of(pid).orElseThrow().children().findAny().isPresent()))
        .isTrue();
    long child = ProcessHandle.of(pid).orElseThrow().children().findFirst().orElseThrow().pid();

    provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.JOB_STOPPED));

    assertThat(gone(pid)).isTrue();
    assertThat(gone(child)).isTrue();
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.NOT_FOUND);
  }

  @Test
  void aWorkerThatExitsByItselfIsReportedWithItsExitCode() throws Exception {
    LocalProvider provider = start("sh -c 'echo starting; exit 3'", Map.of());
    WorkerHandle handle = provider.provision(spec());

    Optional<WorkerEvent> event =
        events.await(e -> e.workerId().equals(handle.workerId()), DEADLINE);

    assertThat(event).isPresent();
    assertThat(event.get().kind()).isEqualTo(WorkerEvent.Kind.EXITED);
    assertThat(event.get().detail()).isEqualTo("exit code 3");
    WorkerStatus status = provider.status(handle);
    assertThat(status.state()).isEqualTo(WorkerState.EXITED);
    assertThat(status.exitCode()).contains(3);
    assertThat(status.detail()).contains("worker.log");
    assertThat(Files.readString(workDir.resolve(handle.workerId()).resolve("worker.log")))
        .contains("starting");
  }

  @Test
  void aWorkerKilledBySignalIsReportedAsFailed() throws Exception {
    LocalProvider provider = start("sh -c 'kill -KILL $$'", Map.of());
    WorkerHandle handle = provider.provision(spec());

    Optional<WorkerEvent> event =
        events.await(e -> e.workerId().equals(handle.workerId()), DEADLINE);

    assertThat(event).isPresent();
    assertThat(event.get().kind()).isEqualTo(WorkerEvent.Kind.FAILED);
    assertThat(event.get().detail()).contains("signal 9");
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.FAILED);
  }

  @Test
  void theLogOfATerminatedWorkerIsKept() throws Exception {
    LocalProvider provider = start("sh -c 'echo never registered; sleep 300'", Map.of());
    WorkerHandle handle = provider.provision(spec());
    Path log = workDir.resolve(handle.workerId()).resolve("worker.log");
    assertThat(eventually(() -> size(log) > 0)).isTrue();

    provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.PROVISIONING_DEADLINE));

    assertThat(workDir.resolve(handle.workerId())).doesNotExist();
    assertThat(workDir.resolve(".logs").resolve(handle.workerId() + ".log"))
        .content()
        .contains("never registered");
  }

  @Test
  void aReusedPidIsNotMistakenForTheWorker() throws Exception {
    LocalProvider provider = start("sleep 300", Map.of());
    // A state file that names this very JVM's pid, with another start time: a reused pid.
    String workerId = "w-reused-" + UUID.randomUUID().toString().substring(0, 8);
    Path directory = Files.createDirectories(workDir.resolve(workerId));
    new WorkerRecord(
            workerId,
            ProcessHandle.current().pid(),
            Instant.parse("2001-01-01T00:00:00Z"),
            INSTALLATION,
            "local-test",
            Map.of(),
            Resources.NONE,
            new WorkerRecord.Enforcement(false, "test"),
            Optional.empty())
        .write(directory);
    WorkerHandle handle = new WorkerHandle(workerId, Long.toString(ProcessHandle.current().pid()));

    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.EXITED);
    provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.ORPHANED));

    assertThat(ProcessHandle.current().isAlive()).isTrue();
    assertThat(provider.status(handle).state()).isEqualTo(WorkerState.NOT_FOUND);
  }

  @Test
  void resourcesAreRecordedWithWhetherTheOsEnforcesThem() throws Exception {
    LocalProvider provider = start("sleep 300", Map.of());

    WorkerHandle handle = provider.provision(spec());

    assertThat(handle.attributes()).containsKey("resources.enforced");
    boolean enforced = Boolean.parseBoolean(handle.attributes().get("resources.enforced"));
    assertThat(handle.attributes().get("resources.detail")).as("says how, or why not").isNotBlank();
    assertThat(WorkerRecord.read(workDir.resolve(handle.workerId())).orElseThrow().enforcement())
        .isEqualTo(
            new WorkerRecord.Enforcement(enforced, handle.attributes().get("resources.detail")));
  }

  @Test
  void gpusAreNeverOffered() {
    LocalProvider provider = start("sleep 300", Map.of());
    WorkerSpec spec = spec();
    WorkerSpec withGpu =
        new WorkerSpec(
            spec.workerId(),
            Optional.empty(),
            new Resources(100, 64, 1, 0),
            spec.env(),
            spec.labels(),
            spec.maxLifetime());

    assertThatThrownBy(() -> provider.provision(withGpu))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCES_UNAVAILABLE))
        .hasMessageContaining("GPU");
    assertThat(provider.describe().capabilities().gpu()).isFalse();
  }

  @Test
  void aWorkerIdThatIsNotADirectoryNameIsRejected() {
    LocalProvider provider = start("sleep 300", Map.of());
    WorkerSpec spec = spec();
    WorkerSpec unsafe =
        new WorkerSpec(
            "../escape",
            Optional.empty(),
            spec.resources(),
            spec.env(),
            spec.labels(),
            spec.maxLifetime());

    assertThatThrownBy(() -> provider.provision(unsafe))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SPEC));
  }

  @Test
  void aMissingAgentCommandIsAConfigurationError() {
    LocalProvider provider = new LocalProvider();
    ProviderContext context =
        new ProviderContext(
            "local-test",
            INSTALLATION,
            new ProviderConfig("local-test", Map.of("workDir", workDir.toString())),
            TestingCredentialHandle.empty(),
            events,
            Clock.systemUTC());

    assertThatThrownBy(() -> provider.initialize(context))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("agentCommand");
  }

  @Test
  void healthSaysWhenTheAgentCommandDoesNotExist() {
    LocalProvider provider = start("/nonexistent/hodei-agent --flag", Map.of());

    assertThat(provider.health().acceptsWork()).isFalse();
    assertThat(provider.health().detail()).contains("/nonexistent/hodei-agent");
  }

  @Test
  void concurrentProvisionsAndTerminatesDoNotInterfere() throws Exception {
    LocalProvider provider = start("sleep 300", Map.of());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<WorkerHandle>> started = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        started.add(pool.submit(() -> provider.provision(spec())));
      }
      List<WorkerHandle> handles = new ArrayList<>();
      for (Future<WorkerHandle> future : started) {
        handles.add(future.get());
      }
      assertThat(provider.list()).hasSize(6);

      List<Future<?>> stopped = new ArrayList<>();
      for (WorkerHandle handle : handles) {
        stopped.add(
            pool.submit(
                () ->
                    provider.terminate(
                        handle, TerminationReason.of(TerminationReason.Cause.JOB_FINISHED))));
      }
      for (Future<?> future : stopped) {
        future.get();
      }
      assertThat(provider.list()).isEmpty();
      assertThat(events.events()).as("terminated workers are not news").isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- helpers ----

  private LocalProvider start(String agentCommand, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(extra);
    settings.put("workDir", workDir.toString());
    settings.put("agentCommand", agentCommand);
    settings.putIfAbsent("terminationGrace", "2s");
    LocalProvider provider = new LocalProvider();
    provider.initialize(
        new ProviderContext(
            "local-test",
            INSTALLATION,
            new ProviderConfig("local-test", settings),
            TestingCredentialHandle.empty(),
            events,
            Clock.systemUTC()));
    providers.add(provider);
    return provider;
  }

  private static WorkerSpec spec() {
    String workerId = "w-" + UUID.randomUUID().toString().substring(0, 12);
    return new WorkerSpec(
        workerId,
        Optional.empty(),
        Resources.of(100, 64),
        Map.of(
            PluginApi.ENV_BOOTSTRAP_TOKEN,
            "token-" + UUID.randomUUID(),
            PluginApi.ENV_SERVER_ADDRESS,
            "127.0.0.1:9",
            PluginApi.ENV_WORKER_ID,
            workerId),
        Map.of(
            PluginApi.LABEL_MANAGED, "true",
            PluginApi.LABEL_INSTALLATION, INSTALLATION,
            PluginApi.LABEL_WORKER, workerId),
        Duration.ofMinutes(10));
  }

  /**
   * The host pid of the {@code sleep} a worker started: inside a sandbox the worker knows it only
   * by its own namespace's pid.
   */
  private static long sleepingDescendant(long worker) {
    long[] found = new long[1];
    assertThat(
            eventually(
                () ->
                    ProcessHandle.of(worker).stream()
                        .flatMap(ProcessHandle::descendants)
                        .filter(p -> p.info().command().orElse("").endsWith("/sleep"))
                        .peek(p -> found[0] = p.pid())
                        .findFirst()
                        .isPresent()))
        .as("worker %s started sleep", worker)
        .isTrue();
    return found[0];
  }

  private static boolean gone(long pid) {
    return eventually(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
