package io.hodei.plugins.kubernetes;

import java.util.HashMap;
import java.util.Map;

/** Settings of a provider instance pointing at a {@link MockCluster}. */
final class TestSettings {

  private TestSettings() {}

  static Map<String, String> forMock(String url) {
    Map<String, String> settings = new HashMap<>();
    settings.put("apiUrl", url);
    settings.put("tokenCredential", MockCluster.TOKEN_REFERENCE);
    settings.put("namespace", "ci");
    settings.put("agentImage", "hodei-agent:test");
    settings.put("controlPlaneCidr", "10.0.0.15/32");
    settings.put("pendingCheckInterval", "200ms");
    settings.put("requestTimeout", "5s");
    return settings;
  }

  static Map<String, String> with(Map<String, String> base, String... keysAndValues) {
    Map<String, String> settings = new HashMap<>(base);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      settings.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return settings;
  }
}
