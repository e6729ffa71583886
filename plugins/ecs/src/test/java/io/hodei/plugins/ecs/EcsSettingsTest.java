package io.hodei.plugins.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.Resources;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad settings fail initialize with the key and the fix; good ones give the documented defaults.
 */
class EcsSettingsTest {

  private static Map<String, String> minimal() {
    Map<String, String> settings = new HashMap<>();
    settings.put("region", "eu-west-1");
    settings.put("cluster", "ci");
    settings.put("subnets", "subnet-1");
    settings.put("agentImage", "hodei-agent:1");
    return settings;
  }

  private static EcsSettings read(Map<String, String> settings) {
    return EcsSettings.read("ecs-test", new ProviderConfig("ecs-test", settings));
  }

  private static String problem(Map<String, String> settings) {
    ProviderException error = catchThrowableOfType(ProviderException.class, () -> read(settings));
    assertThat(error).as("settings %s must be refused", settings.keySet()).isNotNull();
    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    return error.getMessage();
  }

  @Test
  void defaultsAreFargateWithoutPublicIpsAndTheImagesOwnEntrypoint() {
    EcsSettings settings = read(minimal());

    assertThat(settings.placement().describe()).isEqualTo("FARGATE");
    assertThat(settings.network().assignPublicIp()).isFalse();
    assertThat(settings.agentMode()).isEqualTo(EcsSettings.AgentMode.IMAGE);
    assertThat(settings.agentCommand()).isEmpty();
    assertThat(settings.maxPerWorker()).isEqualTo(FargateSizes.LARGEST);
    assertThat(settings.aws().credentials()).as("no reference: the default chain").isEmpty();
  }

  @Test
  void fargateCapsTheLargestWorkerAndOffersNoGpus() {
    Map<String, String> settings = minimal();
    settings.put("maxCpuMillis", "64000");
    settings.put("maxGpus", "4");

    assertThat(read(settings).maxPerWorker()).isEqualTo(new Resources(16_000, 122_880, 0, 204_800));
    settings.put("launchType", "EC2");
    assertThat(read(settings).maxPerWorker().gpus()).isEqualTo(4);
  }

  @Test
  void missingRequiredSettingsAreNamed() {
    Map<String, String> noCluster = minimal();
    noCluster.remove("cluster");
    Map<String, String> noSubnets = minimal();
    noSubnets.remove("subnets");

    assertThat(problem(noCluster)).contains("'cluster'");
    assertThat(problem(noSubnets)).contains("'subnets'");
  }

  @Test
  void contradictoryPlacementsAreRefused() {
    Map<String, String> both = minimal();
    both.put("launchType", "FARGATE");
    both.put("capacityProviders", "FARGATE_SPOT");
    Map<String, String> bridgeOnFargate = minimal();
    bridgeOnFargate.put("networkMode", "bridge");
    Map<String, String> badStrategy = minimal();
    badStrategy.put("capacityProviders", "FARGATE_SPOT:many");

    assertThat(problem(both)).contains("either 'launchType' or 'capacityProviders'");
    assertThat(problem(bridgeOnFargate)).contains("awsvpc");
    assertThat(problem(badStrategy)).contains("FARGATE_SPOT:many");
  }

  @Test
  void sidecarModeNeedsTheAgentImage() {
    Map<String, String> settings = minimal();
    settings.remove("agentImage");
    settings.put("agentMode", "sidecar");

    assertThat(problem(settings)).contains("'agentImage'").contains("sidecar");
  }

  @Test
  void aCapacityProviderStrategyOnEc2ProvidersIsNotFargate() {
    Map<String, String> settings = minimal();
    settings.put("capacityProviders", "my-asg-provider:1");

    assertThat(read(settings).placement().fargate()).isFalse();
  }
}
