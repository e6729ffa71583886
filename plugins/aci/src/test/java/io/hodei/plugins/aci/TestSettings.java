package io.hodei.plugins.aci;

import io.hodei.plugin.tck.TestingCredentialHandle;
import java.util.HashMap;
import java.util.Map;

/** Settings that point a provider instance at a {@link FakeArm}, with quick timeouts. */
final class TestSettings {

  static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
  static final String RESOURCE_GROUP = "hodei-ci";
  static final String LOCATION = "westeurope";
  static final String TOKEN_REFERENCE = "arm-token";

  private TestSettings() {}

  static Map<String, String> forFake(FakeArm arm) {
    Map<String, String> settings = new HashMap<>();
    settings.put("subscriptionId", SUBSCRIPTION);
    settings.put("resourceGroup", RESOURCE_GROUP);
    settings.put("location", LOCATION);
    settings.put("credentials", TOKEN_REFERENCE);
    settings.put("resourceManagerEndpoint", arm.endpoint());
    settings.put("allowInsecureEndpoint", "true");
    settings.put("defaultImage", "hodei/agent-runtime:test");
    settings.put("requestTimeout", "2s");
    settings.put("connectTimeout", "1s");
    settings.put("maxRetries", "2");
    settings.put("retryBaseDelay", "50ms");
    settings.put("retryMaxDelay", "400ms");
    settings.put("pollInterval", "200ms");
    settings.put("provisionWait", "10s");
    settings.put("watchInterval", "300ms");
    return settings;
  }

  /** Settings with some keys replaced. */
  static Map<String, String> forFake(FakeArm arm, Map<String, String> overrides) {
    Map<String, String> settings = forFake(arm);
    settings.putAll(overrides);
    return settings;
  }

  static TestingCredentialHandle tokenCredentials() {
    return TestingCredentialHandle.empty()
        .with(TOKEN_REFERENCE, Map.of(EntraAuthentication.ACCESS_TOKEN, FakeArm.DEFAULT_TOKEN));
  }

  static FakeArm startFake() {
    return FakeArm.start(SUBSCRIPTION, RESOURCE_GROUP);
  }
}
