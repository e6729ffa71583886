package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad settings fail initialize with the key and the fix. */
class AciSettingsTest {

  private static Map<String, String> valid() {
    Map<String, String> settings = new HashMap<>();
    settings.put("subscriptionId", "sub");
    settings.put("resourceGroup", "rg");
    settings.put("location", "West Europe");
    settings.put("credentials", "vault:kv/ci/azure");
    return settings;
  }

  private static ProviderException invalid(Map<String, String> settings) {
    return catchThrowableOfType(
        ProviderException.class,
        () -> AciSettings.read("bad", new ProviderConfig("bad", settings)));
  }

  @Test
  void defaultsTargetThePublicCloudOverHttps() {
    AciSettings settings = AciSettings.read("ok", new ProviderConfig("ok", valid()));

    assertThat(settings.connection().resourceManagerEndpoint().toString())
        .isEqualTo("https://management.azure.com/");
    assertThat(settings.location()).isEqualTo("westeurope");
    assertThat(settings.maxCpuCores()).isEqualTo(4);
    assertThat(settings.maxMemoryGb()).isEqualTo(16);
    assertThat(settings.connection().cloud().armScope())
        .isEqualTo("https://management.azure.com/.default");
  }

  @Test
  void aSubscriptionIsRequired() {
    Map<String, String> settings = valid();
    settings.remove("subscriptionId");

    ProviderException error = invalid(settings);

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    assertThat(error.getMessage()).contains("subscriptionId", "required");
  }

  @Test
  void credentialsAndManagedIdentityExcludeEachOther() {
    Map<String, String> both = valid();
    both.put("managedIdentity", "true");
    Map<String, String> neither = valid();
    neither.remove("credentials");

    assertThat(invalid(both).getMessage()).contains("exactly one of 'credentials'");
    assertThat(invalid(neither).getMessage()).contains("exactly one of 'credentials'");
  }

  @Test
  void aPlainHttpEndpointNeedsAnExplicitOptIn() {
    Map<String, String> settings = valid();
    settings.put("resourceManagerEndpoint", "http://127.0.0.1:8080");

    assertThat(invalid(settings).getMessage()).contains("allowInsecureEndpoint");

    settings.put("allowInsecureEndpoint", "true");
    assertThat(
            AciSettings.read("ok", new ProviderConfig("ok", settings))
                .connection()
                .resourceManagerEndpoint()
                .toString())
        .isEqualTo("http://127.0.0.1:8080/");
  }

  @Test
  void anUnknownCloudNamesTheKnownOnes() {
    Map<String, String> settings = valid();
    settings.put("cloud", "AzureMoon");

    assertThat(invalid(settings).getMessage()).contains("AzureChinaCloud", "AzureMoon");
  }

  @Test
  void defaultsLargerThanTheMaximumAreRefused() {
    Map<String, String> settings = valid();
    settings.put("defaultCpuCores", "8");

    assertThat(invalid(settings).getMessage()).contains("defaultCpuCores");
  }
}
