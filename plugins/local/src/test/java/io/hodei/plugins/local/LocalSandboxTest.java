package io.hodei.plugins.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a worker can see from inside its sandbox. These run bubblewrap for real: the host must have
 * it (Debian package {@code bubblewrap}).
 */
class LocalSandboxTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String INSTALLATION = "install-" + UUID.randomUUID();

  @TempDir Path workDir;
  @TempDir Path elsewhere;

  private final RecordingEventSink events = new RecordingEventSink();
  private final List<LocalProvider> providers = new ArrayList<>();
  private final List<WorkerHandle> started = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    for (LocalProvider provider : providers) {
      for (WorkerHandle handle : started) {
        provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.ADMINISTRATIVE));
      }
      provider.close();
    }
  }

  @Test
  void thisHostIsolatesWorkersAndHealthSaysHow() {
    LocalProvider provider = start("sleep 300", Map.of());

    ProviderHealth health = provider.health();

    assertThat(health.status()).as(health.detail()).isEqualTo(ProviderHealth.Status.HEALTHY);
  }

  @Test
  void aWorkerSeesNeitherOtherWorkersNorTheServer() throws Exception {
    Path serverSecret = Files.writeString(elsewhere.resolve("admin-token"), "server-only-value");
    LocalProvider provider =
        start(
            "sh -c 'id -u; id -g; echo processes=$(ls /proc | grep -c \"^[0-9]\"); pwd;"
                + " cat /proc/*/environ 2>/dev/null | tr \"\\0\" \"\\n\" | grep -c other-secret;"
                + " for p in "
                + workDir
                + " "
                + serverSecret
                + " "
                + elsewhere
                + "; do test -e $p && echo visible:$p; done;"
                + " touch /worker/mine && echo wrote-work; touch /tmp/mine && echo wrote-tmp;"
                + " touch /usr/mine 2>/dev/null || echo usr-read-only; echo probe-done; sleep 300'",
            Map.of());
    WorkerSpec other = spec(Map.of("OTHER", "other-secret-" + UUID.randomUUID()));
    started.add(provider.provision(other));

    WorkerHandle handle = provider.provision(spec(Map.of()));
    started.add(handle);

    String log = awaitLog(handle, "probe-done");
    assertThat(log.lines())
        .startsWith("65534", "65534")
        .contains("/worker", "0", "wrote-work", "wrote-tmp", "usr-read-only", "probe-done")
        .noneMatch(line -> line.startsWith("visible:"));
    // bwrap's init, sh, and whatever ls, grep and cat ran: nothing of the host or the other worker.
    int processes =
        log.lines()
            .filter(line -> line.startsWith("processes="))
            .mapToInt(line -> Integer.parseInt(line.substring("processes=".length())))
            .findFirst()
            .orElseThrow();
    assertThat(processes).isLessThan(6);
    assertThat(log).doesNotContain("other-secret", "server-only-value");
  }

  @Test
  void filesNamedInTheAgentCommandAreReachableReadOnly() throws Exception {
    Path script = Files.writeString(elsewhere.resolve("agent.sh"), "echo agent-ran-from:$0\n");
    LocalProvider provider = start("sh " + script, Map.of());

    WorkerHandle handle = provider.provision(spec(Map.of()));
    started.add(handle);

    String log = awaitLog(handle, "agent-ran-from");
    assertThat(log).contains("agent-ran-from:/run/hodei/agent/1/agent.sh");
  }

  @Test
  void theSpecsEnvironmentReachesTheWorker() throws Exception {
    LocalProvider provider = start("sh -c 'echo value=$MINE home=$HOME; sleep 300'", Map.of());

    WorkerHandle handle = provider.provision(spec(Map.of("MINE", "its-own")));
    started.add(handle);

    assertThat(awaitLog(handle, "value=")).contains("value=its-own home=/worker");
  }

  @Test
  void withoutBwrapWorkersStillRunAndHealthSaysTheyAreNotIsolated() throws Exception {
    LocalProvider provider =
        start("sh -c 'echo ran; sleep 300'", Map.of("bwrap", "/nonexistent/bwrap"));

    ProviderHealth health = provider.health();
    WorkerHandle handle = provider.provision(spec(Map.of()));
    started.add(handle);

    assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
    assertThat(health.acceptsWork()).isTrue();
    assertThat(health.detail()).startsWith("not isolated: bwrap not found");
    assertThat(awaitLog(handle, "ran")).contains("ran");
  }

  @Test
  void turningTheSandboxOffIsReportedToo() {
    LocalProvider provider = start("sleep 300", Map.of("sandbox", "false"));

    ProviderHealth health = provider.health();

    assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
    assertThat(health.detail())
        .isEqualTo("not isolated: the sandbox is turned off (sandbox=false)");
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

  private static WorkerSpec spec(Map<String, String> extraEnv) {
    String workerId = "w-" + UUID.randomUUID().toString().substring(0, 12);
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put(PluginApi.ENV_BOOTSTRAP_TOKEN, "token-" + UUID.randomUUID());
    env.put(PluginApi.ENV_SERVER_ADDRESS, "127.0.0.1:9");
    env.put(PluginApi.ENV_WORKER_ID, workerId);
    return new WorkerSpec(
        workerId,
        Optional.empty(),
        Resources.of(100, 64),
        env,
        Map.of(
            PluginApi.LABEL_MANAGED, "true",
            PluginApi.LABEL_INSTALLATION, INSTALLATION,
            PluginApi.LABEL_WORKER, workerId),
        Duration.ofMinutes(10));
  }

  private String awaitLog(WorkerHandle handle, String marker) throws InterruptedException {
    Path log = workDir.resolve(handle.workerId()).resolve(LocalWorkerLaunch.LOG_FILE);
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      String text = read(log);
      if (text.contains(marker)) {
        return text;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + marker + "' in " + log + ":\n" + read(log));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
