package io.hodei.plugins.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import io.hodei.plugins.cloudrun.fake.FakeCloudRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The requests Cloud Run receives, as the wire carries them, against reviewed files in {@code
 * src/test/resources/golden}. Run with {@code -Dgolden.update=true} to rewrite them after an
 * intended change, and review the diff.
 */
class GoldenFilesTest {

  private FakeCloudRun cloudRun;
  private CloudRunProvider provider;

  @BeforeEach
  void start() {
    cloudRun = FakeCloudRun.start();
    String key = cloudRun.oauth().newServiceAccountKey("hodei-golden");
    provider =
        TestWorkers.start(
            TestSettings.with(
                TestSettings.forFake(cloudRun),
                "vpcConnector",
                "projects/hodei-test/locations/europe-west1/connectors/ci",
                "agentCommand",
                "/opt/hodei/bin/java -jar /opt/hodei/hodei-agent.jar"),
            TestingCredentialHandle.empty().with(TestSettings.KEY_REFERENCE, key),
            new RecordingEventSink());
  }

  @AfterEach
  void stop() {
    provider.close();
    cloudRun.close();
  }

  @Test
  void createJobAndRunJobRequests() throws IOException {
    WorkerSpec spec = TestWorkers.spec("w-golden", Optional.empty());
    provider.provision(
        new WorkerSpec(
            spec.workerId(),
            spec.image(),
            new Resources(1_500, 2_048, 0, 1_024),
            spec.env(),
            spec.labels(),
            spec.maxLifetime()));

    assertGolden("create-job.json", bodyOf("POST", "/jobs"));
    assertGolden("run-job.json", bodyOf("POST", ":run"));
  }

  private String bodyOf(String method, String pathEnd) {
    return cloudRun.requests().stream()
        .filter(r -> r.method().equals(method) && r.path().endsWith(pathEnd))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + method + " *" + pathEnd + " request"))
        .body();
  }

  private static void assertGolden(String name, String json) throws IOException {
    String pretty =
        new GsonBuilder().setPrettyPrinting().create().toJson(JsonParser.parseString(json)) + "\n";
    Path file = Path.of("src/test/resources/golden", name);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, pretty, StandardCharsets.UTF_8);
    }
    assertThat(pretty).as("request body against %s", file).isEqualTo(Files.readString(file));
  }
}
