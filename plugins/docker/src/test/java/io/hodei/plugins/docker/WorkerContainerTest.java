package io.hodei.plugins.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerContainerTest {

  private static final WorkerSpec SPEC =
      new WorkerSpec(
          "w-1",
          Optional.empty(),
          Resources.of(1500, 512),
          Map.of(PluginApi.ENV_BOOTSTRAP_TOKEN, "secret-token", PluginApi.ENV_WORKER_ID, "w-1"),
          Map.of(
              PluginApi.LABEL_MANAGED, "true",
              PluginApi.LABEL_INSTALLATION, "inst/1",
              PluginApi.LABEL_WORKER, "w-1"),
          Duration.ofMinutes(5));

  private static DockerSettings settings(Map<String, String> values) {
    return DockerSettings.from("d1", new ProviderConfig("d1", values));
  }

  @Test
  void injectionMountsTheRuntimeReadOnlyAndRunsTheAgentFromIt() {
    WorkerContainer c =
        WorkerContainer.of(
            SPEC,
            settings(
                Map.of(
                    "defaultImage", "debian:12-slim",
                    "agentRuntime", "/srv/hodei-agent",
                    "volumes", "/srv/cache:/cache:ro, /srv/m2:/root/.m2")),
            "d1");

    assertThat(c.image()).isEqualTo("debian:12-slim");
    assertThat(c.binds())
        .containsExactly(
            "/srv/cache:/cache:ro", "/srv/m2:/root/.m2", "/srv/hodei-agent:/opt/hodei:ro");
    assertThat(c.entrypoint())
        .hasValueSatisfying(
            e ->
                assertThat(e)
                    .startsWith("/opt/hodei/bin/java")
                    .endsWith("-jar", "/opt/hodei/hodei-agent.jar"));
    assertThat(c.nanoCpus()).isEqualTo(1_500_000_000L);
    assertThat(c.memoryBytes()).isEqualTo(512L * 1024 * 1024);
    assertThat(c.networkMode()).isEqualTo("host");
  }

  @Test
  void anImageWithTheAgentKeepsItsOwnEntrypoint() {
    WorkerContainer c =
        WorkerContainer.of(
            SPEC, settings(Map.of("defaultImage", "ci/agent:1", "injectAgent", "false")), "d1");

    assertThat(c.entrypoint()).isEmpty();
    assertThat(c.binds()).isEmpty();
  }

  @Test
  void labelsNameTheInstanceAndTheNameIsSafeForDocker() {
    WorkerContainer c =
        WorkerContainer.of(
            SPEC, settings(Map.of("defaultImage", "x", "injectAgent", "false")), "d1");

    assertThat(c.labels())
        .containsAllEntriesOf(SPEC.labels())
        .containsEntry(PluginApi.LABEL_PROVIDER_INSTANCE, "d1");
    assertThat(c.name()).isEqualTo("hodei-inst_1-w-1");
    assertThat(c.toString()).doesNotContain("secret-token");
  }

  @Test
  void noImageAnywhereIsASpecErrorNamingBothWaysToFixIt() {
    ProviderException error =
        catchThrowableOfType(
            ProviderException.class,
            () -> WorkerContainer.of(SPEC, settings(Map.of("injectAgent", "false")), "d1"));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_SPEC);
    assertThat(error.getMessage()).contains("defaultImage");
  }

  @Test
  void theSpecsImageWinsOverTheDefault() {
    WorkerSpec withImage =
        new WorkerSpec(
            SPEC.workerId(),
            Optional.of("maven:3"),
            SPEC.resources(),
            SPEC.env(),
            SPEC.labels(),
            SPEC.maxLifetime());

    assertThat(
            WorkerContainer.of(
                    withImage, settings(Map.of("defaultImage", "x", "injectAgent", "false")), "d1")
                .image())
        .isEqualTo("maven:3");
  }
}
