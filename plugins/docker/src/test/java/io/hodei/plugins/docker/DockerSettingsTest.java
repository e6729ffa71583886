package io.hodei.plugins.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerSettingsTest {

  private static DockerSettings parse(Map<String, String> values) {
    return DockerSettings.from("d1", new ProviderConfig("d1", values));
  }

  private static String failure(Map<String, String> values) {
    ProviderException error = catchThrowableOfType(ProviderException.class, () -> parse(values));
    assertThat(error).as("settings %s must be refused", values).isNotNull();
    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    return error.getMessage();
  }

  @Test
  void defaultsAreTheLocalSocketHostNetworkAndIfNotPresent() {
    DockerSettings s = parse(Map.of("injectAgent", "false"));

    assertThat(s.host()).hasToString("unix:///var/run/docker.sock");
    assertThat(s.networkMode()).isEqualTo("host");
    assertThat(s.pullPolicy()).isEqualTo(PullPolicy.IF_NOT_PRESENT);
    assertThat(s.stopGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.isLocalEngine()).isTrue();
  }

  @Test
  void listsAreCommaSeparated() {
    DockerSettings s =
        parse(
            Map.of("injectAgent", "false", "dns", "10.0.0.2, 10.0.0.3", "extraHosts", "a:1.2.3.4"));

    assertThat(s.dns()).containsExactly("10.0.0.2", "10.0.0.3");
    assertThat(s.extraHosts()).containsExactly("a:1.2.3.4");
  }

  @Test
  void tcpWithoutTlsIsRefusedWithTheSettingToAdd() {
    assertThat(failure(Map.of("injectAgent", "false", "host", "tcp://engine:2376")))
        .contains("d1")
        .contains("tlsCredential");
  }

  @Test
  void tcpWithATlsReferenceIsAccepted() {
    DockerSettings s =
        parse(Map.of("injectAgent", "false", "host", "tcp://engine:2376", "tlsCredential", "ref"));

    assertThat(s.tlsCredential()).contains("ref");
    assertThat(s.isLocalEngine()).isFalse();
  }

  @Test
  void badValuesNameTheSettingAndTheChoices() {
    assertThat(failure(Map.of("injectAgent", "false", "pullPolicy", "sometimes")))
        .contains("pullPolicy")
        .contains("always, if-not-present or never");
    assertThat(failure(Map.of("injectAgent", "false", "host", "http://x"))).contains("unix:///");
    assertThat(failure(Map.of())).contains("agentRuntime").contains("injectAgent=false");
  }

  @Test
  void aRuntimeDirectoryWithoutJavaIsRefusedAtInitializeForALocalEngine() {
    DockerSettings s = parse(Map.of("agentRuntime", "/nonexistent/runtime"));

    ProviderException error =
        catchThrowableOfType(ProviderException.class, () -> AgentRuntime.check("d1", s));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    assertThat(error.getMessage()).contains("bin/java");
  }
}
