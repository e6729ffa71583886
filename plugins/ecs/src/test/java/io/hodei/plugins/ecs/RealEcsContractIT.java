package io.hodei.plugins.ecs;

import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.ProviderContractTest;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * The provider TCK against a real ECS cluster. Opt-in, never part of the default build: it runs
 * only when these environment variables are set, and is skipped with a message otherwise.
 *
 * <ul>
 *   <li>{@code HODEI_ECS_IT_REGION}, {@code HODEI_ECS_IT_CLUSTER}, {@code HODEI_ECS_IT_SUBNETS}
 *       (comma-separated), optionally {@code HODEI_ECS_IT_SECURITY_GROUPS};
 *   <li>{@code HODEI_ECS_IT_IMAGE}: a public image with {@code sleep} (e.g. {@code
 *       public.ecr.aws/docker/library/busybox:stable}); the workers run {@code sleep 900} in it;
 *   <li>{@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (optionally {@code
 *       AWS_SESSION_TOKEN}) of an identity with the policy in docs/providers/ecs.md.
 * </ul>
 *
 * Fargate tasks cost money while they run; every task the run starts is stopped after its test.
 */
class RealEcsContractIT extends ProviderContractTest {

  private static final String REFERENCE = "it:aws-keys";

  @BeforeAll
  static void requireEnvironment() {
    for (String name :
        new String[] {
          "HODEI_ECS_IT_REGION",
          "HODEI_ECS_IT_CLUSTER",
          "HODEI_ECS_IT_SUBNETS",
          "HODEI_ECS_IT_IMAGE",
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY"
        }) {
      Assumptions.assumeTrue(
          System.getenv(name) != null && !System.getenv(name).isBlank(),
          "real-ECS contract test skipped: set " + name + " (see the class Javadoc) to run it");
    }
  }

  @Override
  protected WorkerManagerProvider createProvider() {
    return new EcsProvider();
  }

  @Override
  protected ProviderConfig providerConfig(String instanceName) {
    Map<String, String> settings = new HashMap<>();
    settings.put("region", env("HODEI_ECS_IT_REGION"));
    settings.put("cluster", env("HODEI_ECS_IT_CLUSTER"));
    settings.put("subnets", env("HODEI_ECS_IT_SUBNETS"));
    Optional.ofNullable(System.getenv("HODEI_ECS_IT_SECURITY_GROUPS"))
        .ifPresent(groups -> settings.put("securityGroups", groups));
    settings.put("assignPublicIp", "ENABLED");
    settings.put("credentials", REFERENCE);
    settings.put("defaultImage", env("HODEI_ECS_IT_IMAGE"));
    settings.put("agentCommand", "sleep 900");
    return new ProviderConfig(instanceName, settings);
  }

  @Override
  protected CredentialHandle credentials() {
    Map<String, String> keys = new HashMap<>();
    keys.put(AwsCredentialsReader.ACCESS_KEY_ID, env("AWS_ACCESS_KEY_ID"));
    keys.put(AwsCredentialsReader.SECRET_ACCESS_KEY, env("AWS_SECRET_ACCESS_KEY"));
    Optional.ofNullable(System.getenv("AWS_SESSION_TOKEN"))
        .ifPresent(token -> keys.put(AwsCredentialsReader.SESSION_TOKEN, token));
    return TestingCredentialHandle.empty().with(REFERENCE, keys);
  }

  @Override
  protected Resources impossibleResources() {
    return Resources.of(1_000_000, 64);
  }

  @Override
  protected Duration stateTimeout() {
    // Fargate needs a minute or two to pull an image and attach a network interface.
    return Duration.ofMinutes(4);
  }

  @Override
  protected Map<String, String> environmentOf(WorkerHandle handle) {
    Map<String, String> environment = new HashMap<>();
    task(handle).overrides().containerOverrides().stream()
        .filter(o -> o.name().equals("worker"))
        .flatMap(o -> o.environment().stream())
        .forEach((KeyValuePair pair) -> environment.put(pair.name(), pair.value()));
    return environment;
  }

  @Override
  protected Map<String, String> labelsOf(WorkerHandle handle) {
    return OwnershipTags.asSpecLabels(OwnershipTags.asMap(task(handle).tags()));
  }

  private static Task task(WorkerHandle handle) {
    try (EcsClient ecs =
        EcsClient.builder()
            .region(Region.of(env("HODEI_ECS_IT_REGION")))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"))))
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
            .build()) {
      return ecs.describeTasks(
              r ->
                  r.cluster(env("HODEI_ECS_IT_CLUSTER"))
                      .tasks(handle.resourceId())
                      .include(TaskField.TAGS))
          .tasks()
          .get(0);
    }
  }

  private static String env(String name) {
    return System.getenv(name);
  }
}
