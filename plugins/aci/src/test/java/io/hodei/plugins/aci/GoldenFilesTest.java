package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The container group PUT bodies a provider instance sends, as the fake Resource Manager received
 * them, compared with the JSON under {@code src/test/resources/golden/}. After an intended change,
 * regenerate them with {@code -Dgolden.update=true} and review the diff.
 */
class GoldenFilesTest {

  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final FakeArm arm = TestSettings.startFake();
  private AciProvider provider;

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.close();
    }
    arm.close();
  }

  @Test
  void workerGroup() throws Exception {
    provider = Providers.start(arm, Map.of("watchInterval", "0s"));

    provider.provision(spec("w-golden", Resources.of(1_250, 3_000), Map.of("team", "build")));

    assertGolden("container-group.json", "hodei-w-golden");
  }

  @Test
  void workerGroupInASubnetWithARegistryAndACommand() throws Exception {
    TestingCredentialHandle credentials =
        TestSettings.tokenCredentials()
            .with(
                "acr-pull",
                Map.of(
                    "server", "registry.example.com",
                    "username", "puller",
                    "password", "pull-secret"));
    provider =
        Providers.start(
            arm,
            credentials,
            Map.of(
                "watchInterval", "0s",
                "registryCredential", "acr-pull",
                "subnetId",
                    "/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks"
                        + "/ci/subnets/workers",
                "command", "/opt/hodei/bin/java -jar /opt/hodei/hodei-agent.jar"),
            new EntraAuthentication(),
            new RecordingEventSink());

    provider.provision(spec("w-private", Resources.NONE, Map.of()));

    assertGolden("container-group-private.json", "hodei-w-private");
  }

  @Test
  void theBootstrapTokenIsSentOnlyAsASecureValue() throws Exception {
    provider = Providers.start(arm, Map.of("watchInterval", "0s"));
    provider.provision(spec("w-secret", Resources.of(100, 64), Map.of()));

    JsonNode body = JSON.readTree(arm.requests("PUT", "/containerGroups/").get(0).body());
    JsonNode variables =
        body.path("properties")
            .path("containers")
            .path(0)
            .path("properties")
            .path("environmentVariables");
    for (JsonNode variable : variables) {
      if (variable.path("name").asText().equals(PluginApi.ENV_BOOTSTRAP_TOKEN)) {
        assertThat(variable.path("secureValue").asText()).isEqualTo("bootstrap-token-w-secret");
        assertThat(variable.has("value")).isFalse();
      } else {
        assertThat(variable.has("secureValue")).as("%s", variable).isFalse();
      }
    }
    assertThat(arm.group("hodei-w-secret").orElseThrow().secureVariables())
        .containsExactly(PluginApi.ENV_BOOTSTRAP_TOKEN);
  }

  private static WorkerSpec spec(String workerId, Resources resources, Map<String, String> extra) {
    WorkerSpec base = Providers.spec(workerId, resources);
    Map<String, String> labels = new java.util.TreeMap<>(base.labels());
    labels.putAll(extra);
    Map<String, String> env = new java.util.TreeMap<>(base.env());
    env.put(PluginApi.ENV_BOOTSTRAP_TOKEN, "bootstrap-token-" + workerId);
    env.put("HODEI_WORK_DIR", "/workspace");
    return new WorkerSpec(workerId, Optional.empty(), resources, env, labels, Duration.ofHours(1));
  }

  private void assertGolden(String file, String groupName) throws Exception {
    List<FakeArm.RecordedRequest> puts = arm.requests("PUT", "/containerGroups/" + groupName);
    assertThat(puts).hasSize(1);
    String actual =
        JSON.writeValueAsString(JSON.readValue(puts.get(0).body(), Object.class)) + "\n";
    Path golden = GOLDEN.resolve(file);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(golden).as("golden file %s (regenerate with -Dgolden.update=true)", golden).exists();
    assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
