package io.hodei.examples.ssh;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.ProviderContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The provider TCK against a real sshd on loopback. */
class SshProviderContractTest extends ProviderContractTest {

  static LoopbackSshd sshd;
  static Path remoteWorkDir;
  private static Path dir;

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

  static Map<String, String> settingsFor(LoopbackSshd sshd, Path remoteWorkDir) {
    Map<String, String> settings = new HashMap<>();
    settings.put("hosts", sshd.hostSetting());
    settings.put("identityFile", sshd.clientKey().toString());
    settings.put("knownHostsFile", sshd.knownHosts().toString());
    settings.put("agentCommand", "sleep 300");
    settings.put("workDir", remoteWorkDir.toString());
    settings.put("maxWorkersPerHost", "10");
    settings.put("terminationGrace", "2s");
    return settings;
  }

  @Override
  protected WorkerManagerProvider createProvider() {
    return new SshProvider();
  }

  @Override
  protected ProviderConfig providerConfig(String instanceName) {
    return new ProviderConfig(instanceName, settingsFor(sshd, remoteWorkDir));
  }

  @Override
  protected Resources impossibleResources() {
    return Resources.of(SshSettings.DEFAULT_MAX_PER_WORKER.cpuMillis() + 1, 1);
  }

  @Override
  protected Duration stateTimeout() {
    return Duration.ofSeconds(30);
  }

  @Override
  protected Map<String, String> environmentOf(WorkerHandle handle) {
    return SshTestFiles.remoteEnvironment(providerConfig(instanceName), handle);
  }

  @Override
  protected Map<String, String> labelsOf(WorkerHandle handle) {
    return SshTestFiles.remoteLabels(providerConfig(instanceName), handle);
  }
}
