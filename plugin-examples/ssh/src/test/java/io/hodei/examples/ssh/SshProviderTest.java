package io.hodei.examples.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the TCK cannot see: capacity per host, secrets on disk, and ssh's own failures. */
class SshProviderTest {

  private static final String INSTALLATION = "install-" + UUID.randomUUID();

  private static LoopbackSshd sshd;
  private static Path dir;
  private static Path remoteWorkDir;

  private final List<SshProvider> providers = new ArrayList<>();

  @BeforeAll
  static void startSshd() throws Exception {
    dir = Files.createTempDirectory("hodei-sshd");
    remoteWorkDir = Files.createDirectories(dir.resolve("remote-workers"));
    sshd = LoopbackSshd.start(dir);
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
    SshTestFiles.deleteTree(dir);
  }

  @AfterEach
  void terminateEverything() {
    SshProvider janitor = start(Map.of());
    janitor
        .list()
        .forEach(
            h ->
                janitor.terminate(h, TerminationReason.of(TerminationReason.Cause.ADMINISTRATIVE)));
    providers.forEach(SshProvider::close);
  }

  @Test
  void theTokenIsNeitherLeftOnDiskNorOnTheCommandLine() throws Exception {
    SshProvider provider = start(Map.of());
    WorkerSpec spec = spec();
    String token = spec.env().get(PluginApi.ENV_BOOTSTRAP_TOKEN);

    WorkerHandle handle = provider.provision(spec);

    Path workerDir = remoteWorkDir.resolve(handle.workerId());
    try (Stream<Path> files = Files.walk(workerDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as("remote file %s", file).doesNotContain(token);
      }
    }
    assertThat(Files.exists(workerDir.resolve("worker.env")))
        .as("the env file is removed once the worker has read it")
        .isFalse();
    long pid = Long.parseLong(handle.attributes().get("pid"));
    assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")))
        .doesNotContain(token);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workerDir)))
        .as("the worker directory is owner-only")
        .isEqualTo("rwx------");
  }

  @Test
  void aFullHostIsCapacityExhausted() {
    SshProvider provider = start(Map.of("maxWorkersPerHost", "1"));
    provider.provision(spec());

    assertThatThrownBy(() -> provider.provision(spec()))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CAPACITY_EXHAUSTED);
              assertThat(e.retryable()).isTrue();
            })
        .hasMessageContaining("maxWorkersPerHost");
  }

  @Test
  void aKeyTheHostRefusesIsAnAuthenticationError() {
    SshProvider provider = start(Map.of("identityFile", sshd.strangerKey().toString()));

    assertThatThrownBy(() -> provider.provision(spec()))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION));
    assertThat(provider.health().acceptsWork()).isFalse();
  }

  @Test
  void anUnknownHostKeyIsAConfigurationErrorThatSaysWhatToDo() throws Exception {
    Path emptyKnownHosts = Files.createTempFile(dir, "known_hosts", "");
    SshProvider provider = start(Map.of("knownHostsFile", emptyKnownHosts.toString()));

    assertThatThrownBy(() -> provider.provision(spec()))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("knownHostsFile");
  }

  @Test
  void provisionIsSafeToRetryWithTheSameWorkerId() {
    SshProvider provider = start(Map.of());
    WorkerSpec spec = spec();

    WorkerHandle first = provider.provision(spec);
    WorkerHandle retried = provider.provision(spec);

    assertThat(retried).isEqualTo(first);
    assertThat(provider.list()).hasSize(1);
  }

  @Test
  void hostsAreReadAsUserAtHostColonPort() {
    assertThat(SshHost.parse("ci@build-1.example.org:2222"))
        .isEqualTo(new SshHost("ci", "build-1.example.org", 2222));
    assertThat(SshHost.parse("ci@10.0.0.5").port()).isEqualTo(22);
    assertThatThrownBy(() -> SshHost.parse("build-1:22")).hasMessageContaining("user@host:port");
    assertThatThrownBy(() -> SshHost.parse("ci@-oProxyCommand=x:22"))
        .hasMessageContaining("user@host:port");
  }

  private SshProvider start(Map<String, String> overrides) {
    Map<String, String> settings =
        new HashMap<>(SshProviderContractTest.settingsFor(sshd, remoteWorkDir));
    settings.putAll(overrides);
    SshProvider provider = new SshProvider();
    provider.initialize(
        new ProviderContext(
            "ssh-test",
            INSTALLATION,
            new ProviderConfig("ssh-test", settings),
            TestingCredentialHandle.empty(),
            new RecordingEventSink(),
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
            "secret-token-" + UUID.randomUUID(),
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
}
