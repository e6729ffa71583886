package io.hodei.plugins.cloudrun;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ExecutionsSettings;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.ProviderContractTest;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * Opt-in: the provider TCK against real Cloud Run. Set {@code HODEI_CLOUDRUN_PROJECT}, {@code
 * HODEI_CLOUDRUN_REGION}, {@code HODEI_CLOUDRUN_KEY_FILE} (a service-account key JSON with the
 * roles in docs/providers/cloudrun.md) and {@code HODEI_CLOUDRUN_IMAGE} (an image the project can
 * pull); {@code HODEI_CLOUDRUN_COMMAND} (default {@code sleep 3600}) must keep the task running.
 * Skipped otherwise. It creates jobs named {@code hodei-*} and runs executions, which cost money.
 */
class RealCloudRunContractTest extends ProviderContractTest {

  private static final List<String> REQUIRED =
      List.of(
          "HODEI_CLOUDRUN_PROJECT",
          "HODEI_CLOUDRUN_REGION",
          "HODEI_CLOUDRUN_KEY_FILE",
          "HODEI_CLOUDRUN_IMAGE");

  private static String key;

  @BeforeAll
  static void requireCloudRun() throws Exception {
    List<String> missing = REQUIRED.stream().filter(name -> System.getenv(name) == null).toList();
    Assumptions.assumeTrue(
        missing.isEmpty(),
        "real Cloud Run contract test skipped: set " + missing + " to run it against a project");
    key = Files.readString(Path.of(System.getenv("HODEI_CLOUDRUN_KEY_FILE")));
  }

  @Override
  protected WorkerManagerProvider createProvider() {
    return new CloudRunProvider();
  }

  @Override
  protected ProviderConfig providerConfig(String instanceName) {
    Map<String, String> settings = new HashMap<>();
    settings.put("project", System.getenv("HODEI_CLOUDRUN_PROJECT"));
    settings.put("region", System.getenv("HODEI_CLOUDRUN_REGION"));
    settings.put("credentials", TestSettings.KEY_REFERENCE);
    settings.put("defaultImage", System.getenv("HODEI_CLOUDRUN_IMAGE"));
    settings.put(
        "agentCommand", System.getenv().getOrDefault("HODEI_CLOUDRUN_COMMAND", "sleep 3600"));
    settings.put("watchInterval", "0s");
    return new ProviderConfig(instanceName, settings);
  }

  @Override
  protected CredentialHandle credentials() {
    return TestingCredentialHandle.empty().with(TestSettings.KEY_REFERENCE, key);
  }

  @Override
  protected Resources impossibleResources() {
    return Resources.of(64_000, 8);
  }

  @Override
  protected Duration stateTimeout() {
    return Duration.ofMinutes(5);
  }

  @Override
  protected Map<String, String> environmentOf(WorkerHandle handle) throws Exception {
    // What Cloud Run holds for the execution: its task template, overrides applied.
    return execution(handle).getTemplate().getContainers(0).getEnvList().stream()
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue, (a, b) -> b));
  }

  @Override
  protected Map<String, String> labelsOf(WorkerHandle handle) throws Exception {
    Execution execution = execution(handle);
    return OwnershipLabels.asSpecLabels(
        execution.getLabelsMap(), ExecutionVerdict.workerIdOf(execution).orElse(null));
  }

  private static Execution execution(WorkerHandle handle) throws Exception {
    ExecutionsSettings settings =
        ExecutionsSettings.newHttpJsonBuilder()
            .setCredentialsProvider(
                FixedCredentialsProvider.create(
                    ServiceAccountCredentials.fromStream(
                            new ByteArrayInputStream(key.getBytes(StandardCharsets.UTF_8)))
                        .createScoped(List.of("https://www.googleapis.com/auth/cloud-platform"))))
            .build();
    try (ExecutionsClient executions = ExecutionsClient.create(settings)) {
      return executions.getExecution(handle.resourceId());
    }
  }
}
