package io.hodei.plugins.cloudrun;

import io.hodei.plugins.cloudrun.fake.FakeCloudRun;
import java.util.HashMap;
import java.util.Map;

/** Settings of a provider instance pointing at a {@link FakeCloudRun}. */
final class TestSettings {

  /** The credential reference the instances use; tests store a key from the fake under it. */
  static final String KEY_REFERENCE = "test:cloudrun-key";

  private TestSettings() {}

  static Map<String, String> forFake(FakeCloudRun fake) {
    Map<String, String> settings = new HashMap<>();
    settings.put("project", FakeCloudRun.PROJECT);
    settings.put("region", FakeCloudRun.REGION);
    settings.put("endpoint", fake.endpoint());
    settings.put("credentials", KEY_REFERENCE);
    settings.put("defaultImage", "europe-docker.pkg.dev/hodei-test/ci/hodei-worker:1");
    settings.put("serviceAccount", "hodei-worker@hodei-test.iam.gserviceaccount.com");
    settings.put("operationPollInterval", "50ms");
    settings.put("operationTimeout", "10s");
    settings.put("retryInitialDelay", "20ms");
    settings.put("retryMaxDelay", "200ms");
    settings.put("requestTimeout", "3s");
    settings.put("retryTotalTimeout", "10s");
    settings.put("watchInterval", "0s");
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
