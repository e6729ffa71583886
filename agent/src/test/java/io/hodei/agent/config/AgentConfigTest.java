package io.hodei.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  private static final Path CWD = Path.of("/srv/agent");

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("HODEI_BOOTSTRAP_TOKEN", "tok-123");
    env.put("HODEI_WORKER_ID", "w-7");
    env.put("HODEI_SERVER_ADDRESS", "cp.internal:9090");
    env.put("HOME", "/home/agent");
    return env;
  }

  @Test
  void readsTheRequiredVariablesAndDefaults() throws Exception {
    AgentConfig config = AgentConfig.fromEnvironment(env(), CWD);

    assertThat(config.bootstrapToken()).isEqualTo("tok-123");
    assertThat(config.workerId()).isEqualTo("w-7");
    assertThat(config.serverAddress()).isEqualTo(new ServerAddress("cp.internal", 9090));
    assertThat(config.tls()).isFalse();
    assertThat(config.workDir()).isEqualTo(CWD);
    assertThat(config.orphanTimeout()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void namesEveryMissingVariable() {
    Map<String, String> env = env();
    env.remove("HODEI_BOOTSTRAP_TOKEN");
    env.put("HODEI_SERVER_ADDRESS", " ");

    assertThatThrownBy(() -> AgentConfig.fromEnvironment(env, CWD))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing environment variable HODEI_BOOTSTRAP_TOKEN")
        .hasMessageContaining("missing environment variable HODEI_SERVER_ADDRESS");
  }

  @Test
  void explainsAMalformedAddressAndTimeout() {
    Map<String, String> env = env();
    env.put("HODEI_SERVER_ADDRESS", "no-port");
    env.put("HODEI_ORPHAN_TIMEOUT", "soon");

    assertThatThrownBy(() -> AgentConfig.fromEnvironment(env, CWD))
        .hasMessageContaining("expected host:port")
        .hasMessageContaining("HODEI_ORPHAN_TIMEOUT");
  }

  @Test
  void readsOptionalSettings() throws Exception {
    Map<String, String> env = env();
    env.put("HODEI_SERVER_TLS", "true");
    env.put("HODEI_WORK_DIR", "/var/lib/hodei");
    env.put("HODEI_ORPHAN_TIMEOUT", "90s");

    AgentConfig config = AgentConfig.fromEnvironment(env, CWD);

    assertThat(config.tls()).isTrue();
    assertThat(config.caFile()).isEmpty();
    assertThat(config.workDir()).isEqualTo(Path.of("/var/lib/hodei"));
    assertThat(config.orphanTimeout()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void refusesACaFileThatDoesNotExist() {
    Map<String, String> env = env();
    env.put("HODEI_SERVER_TLS", "true");
    env.put("HODEI_SERVER_CA_FILE", "/nonexistent/ca.pem");

    assertThatThrownBy(() -> AgentConfig.fromEnvironment(env, CWD))
        .hasMessageContaining("HODEI_SERVER_CA_FILE")
        .hasMessageContaining("not a readable file");
  }

  @Test
  void keepsTheTokenOutOfJobsAndOutOfItsDescription() throws Exception {
    AgentConfig config = AgentConfig.fromEnvironment(env(), CWD);

    assertThat(config.jobEnvironment())
        .doesNotContainKey("HODEI_BOOTSTRAP_TOKEN")
        .containsEntry("HOME", "/home/agent");
    assertThat(config.toString()).doesNotContain("tok-123");
  }

  @Test
  void parsesIpv6AddressesInBrackets() {
    assertThat(ServerAddress.parse("[::1]:9090")).isEqualTo(new ServerAddress("::1", 9090));
    assertThatThrownBy(() -> ServerAddress.parse("::1:9090")).hasMessageContaining("brackets");
  }

  @Test
  void parsesDurationsInSeveralSpellings() {
    assertThat(Durations.parse("300")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
  }
}
