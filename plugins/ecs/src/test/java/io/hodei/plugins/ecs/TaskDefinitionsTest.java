package io.hodei.plugins.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingClock;
import io.hodei.plugins.ecs.fake.FakeEcs;
import io.hodei.plugins.ecs.fake.FakeTaskDefinition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Task definitions are registered once per distinct content and reused, also by a restarted
 * instance, and deregistered once nothing uses them.
 */
class TaskDefinitionsTest {

  private FakeEcs fake;
  private final TestingClock clock = TestingClock.startingNow();
  private final List<EcsProvider> providers = new java.util.ArrayList<>();

  @BeforeEach
  void start() {
    fake = TestSettings.fake();
  }

  @AfterEach
  void stop() {
    providers.forEach(EcsProvider::close);
    fake.close();
  }

  private EcsProvider provider(String... settings) {
    EcsProvider provider =
        TestSettings.started(
            TestSettings.with(
                TestSettings.with(TestSettings.forFake(fake), "pollInterval", "1h"), settings),
            TestSettings.credentials(),
            new RecordingEventSink(),
            clock);
    providers.add(provider);
    return provider;
  }

  @Test
  void workersOfTheSameSizeShareOneTaskDefinition() {
    EcsProvider provider = provider();

    WorkerHandle first = provider.provision(Workers.spec(Resources.of(100, 64)));
    // A different request that rounds to the same Fargate size.
    WorkerHandle second = provider.provision(Workers.spec(Resources.of(200, 500)));

    assertThat(fake.requests("RegisterTaskDefinition")).hasSize(1);
    assertThat(second.attributes().get(EcsProvider.ATTR_TASK_DEFINITION))
        .isEqualTo(first.attributes().get(EcsProvider.ATTR_TASK_DEFINITION));
    assertThat(fake.tasks())
        .extracting(t -> t.taskDefinitionArn())
        .containsOnly(first.attributes().get(EcsProvider.ATTR_TASK_DEFINITION));
  }

  @Test
  void aDifferentSizeGetsItsOwnFamily() {
    EcsProvider provider = provider();

    provider.provision(Workers.spec(Resources.of(100, 64)));
    provider.provision(Workers.spec(Resources.of(1000, 2048)));

    assertThat(fake.taskDefinitions())
        .extracting(FakeTaskDefinition::family)
        .doesNotHaveDuplicates()
        .hasSize(2);
  }

  @Test
  void aRestartedInstanceReusesTheRegisteredDefinition() {
    provider().provision(Workers.spec(Resources.of(100, 64)));

    provider().provision(Workers.spec(Resources.of(100, 64)));

    assertThat(fake.requests("RegisterTaskDefinition")).hasSize(1);
    assertThat(fake.requests("DescribeTaskDefinition"))
        .as("the new instance looked the family up")
        .hasSize(2);
  }

  @Test
  void theDefinitionHoldsTheRoundedSizeTheImageAndTheOwnershipTags() {
    WorkerHandle handle = provider().provision(Workers.spec(Resources.of(100, 64)));

    FakeTaskDefinition definition = fake.taskDefinitions().get(0);
    JsonNode content = definition.content();
    assertThat(content.path("cpu").asText()).isEqualTo("256");
    assertThat(content.path("memory").asText()).isEqualTo("512");
    assertThat(content.path("requiresCompatibilities").get(0).asText()).isEqualTo("FARGATE");
    assertThat(content.path("networkMode").asText()).isEqualTo("awsvpc");
    JsonNode worker = content.path("containerDefinitions").get(0);
    assertThat(worker.path("name").asText()).isEqualTo("worker");
    assertThat(worker.path("image").asText()).isEqualTo("hodei-agent:test");
    assertThat(worker.path("essential").asBoolean()).isTrue();
    assertThat(worker.has("command")).as("the image's own entrypoint starts the agent").isFalse();
    assertThat(worker.has("environment"))
        .as("the worker's environment, with its token, is never in a shared definition")
        .isFalse();
    assertThat(definition.tags())
        .containsEntry("hodei:managed", "true")
        .containsEntry("hodei:installation", "install-1")
        .containsEntry("hodei:provider-instance", "ecs-test")
        .containsKey("hodei:content-hash");
    assertThat(handle.attributes())
        .containsEntry(EcsProvider.ATTR_CPU, "256")
        .containsEntry(EcsProvider.ATTR_MEMORY, "512")
        .containsEntry(
            EcsProvider.ATTR_SIZE,
            "requested 100m CPU / 64 MiB, rounded up to the Fargate size 256 CPU units / 512 MiB");
  }

  @Test
  void runTaskCarriesTheNetworkTheEnvironmentTheTagsAndAClientToken() {
    var spec = Workers.spec(Resources.of(100, 64));
    WorkerHandle handle = provider().provision(spec);

    JsonNode request = fake.task(handle.resourceId()).orElseThrow().request();
    JsonNode awsvpc = request.path("networkConfiguration").path("awsvpcConfiguration");
    assertThat(awsvpc.path("subnets").toString())
        .isEqualTo("[\"subnet-0a1b2c3d\",\"subnet-4e5f6a7b\"]");
    assertThat(awsvpc.path("securityGroups").toString()).isEqualTo("[\"sg-0123abcd\"]");
    assertThat(awsvpc.path("assignPublicIp").asText()).isEqualTo("DISABLED");
    assertThat(request.path("launchType").asText()).isEqualTo("FARGATE");
    assertThat(request.path("clientToken").asText())
        .startsWith("hodei-")
        .hasSizeLessThanOrEqualTo(64);
    assertThat(fake.task(handle.resourceId()).orElseThrow().environment())
        .containsAllEntriesOf(spec.env());
    assertThat(fake.task(handle.resourceId()).orElseThrow().tags())
        .containsEntry("hodei:worker", spec.workerId())
        .containsEntry("team", "platform");
  }

  @Test
  void aCapacityProviderStrategyReplacesTheLaunchType() {
    WorkerHandle handle =
        provider("capacityProviders", "FARGATE_SPOT:3,FARGATE:1:1")
            .provision(Workers.spec(Resources.of(100, 64)));

    JsonNode request = fake.task(handle.resourceId()).orElseThrow().request();
    assertThat(request.has("launchType")).isFalse();
    assertThat(request.path("capacityProviderStrategy").toString())
        .isEqualTo(
            "[{\"capacityProvider\":\"FARGATE_SPOT\",\"weight\":3,\"base\":0},"
                + "{\"capacityProvider\":\"FARGATE\",\"weight\":1,\"base\":1}]");
    assertThat(fake.taskDefinitions().get(0).content().path("cpu").asText())
        .as("Fargate Spot sizes are Fargate's")
        .isEqualTo("256");
  }

  @Test
  void onEc2TheSizeIsNotRounded() {
    provider("launchType", "EC2").provision(Workers.spec(Resources.of(300, 700)));

    JsonNode content = fake.taskDefinitions().get(0).content();
    assertThat(content.path("cpu").asText()).isEqualTo("308");
    assertThat(content.path("memory").asText()).isEqualTo("700");
    assertThat(content.path("requiresCompatibilities").get(0).asText()).isEqualTo("EC2");
  }

  @Test
  void inSidecarModeAnAgentContainerCopiesTheAgentBeforeTheWorkerStarts() {
    provider("agentMode", "sidecar", "defaultImage", "builder:1")
        .provision(Workers.spec(Resources.of(100, 64)));

    JsonNode content = fake.taskDefinitions().get(0).content();
    JsonNode worker = content.path("containerDefinitions").get(0);
    JsonNode agent = content.path("containerDefinitions").get(1);
    assertThat(worker.path("image").asText()).isEqualTo("builder:1");
    assertThat(worker.path("command").toString())
        .isEqualTo("[\"/opt/hodei/bin/java\",\"-jar\",\"/opt/hodei/hodei-agent.jar\"]");
    assertThat(worker.path("dependsOn").toString())
        .isEqualTo("[{\"containerName\":\"hodei-agent\",\"condition\":\"SUCCESS\"}]");
    assertThat(worker.path("mountPoints").toString())
        .isEqualTo(
            "[{\"sourceVolume\":\"hodei-agent\",\"containerPath\":\"/opt/hodei\",\"readOnly\":true}]");
    assertThat(agent.path("image").asText()).isEqualTo("hodei-agent:test");
    assertThat(agent.path("essential").asBoolean()).isFalse();
    assertThat(agent.path("command").toString())
        .isEqualTo("[\"cp\",\"-R\",\"/opt/hodei/.\",\"/hodei-agent/\"]");
    assertThat(content.path("volumes").toString()).isEqualTo("[{\"name\":\"hodei-agent\"}]");
  }

  @Test
  void unusedDefinitionsAreDeregisteredAndUsedOnesKept() throws InterruptedException {
    EcsProvider provider = provider();
    WorkerHandle small = provider.provision(Workers.spec(Resources.of(100, 64)));
    WorkerHandle large = provider.provision(Workers.spec(Resources.of(1000, 2048)));
    provider.terminate(small, TerminationReason.of(TerminationReason.Cause.JOB_FINISHED));
    awaitStopped(small);
    clock.advance(Duration.ofHours(2));

    provider.sweepNow();

    String smallArn = small.attributes().get(EcsProvider.ATTR_TASK_DEFINITION);
    String largeArn = large.attributes().get(EcsProvider.ATTR_TASK_DEFINITION);
    assertThat(fake.taskDefinitionStatus(smallArn)).isEqualTo("INACTIVE");
    assertThat(fake.taskDefinitionStatus(largeArn))
        .as("a running task still uses it")
        .isEqualTo("ACTIVE");

    WorkerHandle again = provider.provision(Workers.spec(Resources.of(100, 64)));
    assertThat(again.attributes().get(EcsProvider.ATTR_TASK_DEFINITION))
        .as("a new revision of the same family")
        .endsWith(":2");
  }

  @Test
  void aDefinitionDeregisteredFromOutsideIsRegisteredAgain() {
    EcsProvider provider = provider();
    WorkerHandle first = provider.provision(Workers.spec(Resources.of(100, 64)));
    fake.deregisterTaskDefinition(first.attributes().get(EcsProvider.ATTR_TASK_DEFINITION));

    WorkerHandle second = provider.provision(Workers.spec(Resources.of(100, 64)));

    assertThat(second.attributes().get(EcsProvider.ATTR_TASK_DEFINITION)).endsWith(":2");
    assertThat(fake.task(second.resourceId())).isPresent();
  }

  @Test
  void recentlyUsedDefinitionsAreKeptEvenWithoutTasks() throws InterruptedException {
    EcsProvider provider = provider();
    WorkerHandle handle = provider.provision(Workers.spec(Resources.of(100, 64)));
    provider.terminate(handle, TerminationReason.of(TerminationReason.Cause.JOB_FINISHED));
    awaitStopped(handle);

    provider.sweepNow();

    assertThat(fake.taskDefinitionStatus(handle.attributes().get(EcsProvider.ATTR_TASK_DEFINITION)))
        .isEqualTo("ACTIVE");
  }

  private void awaitStopped(WorkerHandle handle) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!"STOPPED".equals(fake.task(handle.resourceId()).orElseThrow().lastStatus())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("task did not stop");
      }
      Thread.sleep(50);
    }
  }
}
