package io.hodei.plugins.ecs;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingClock;
import io.hodei.plugin.tck.TestingCredentialHandle;
import io.hodei.plugins.ecs.fake.FakeEcs;
import java.util.HashMap;
import java.util.Map;

/** Settings and credentials of a provider instance pointing at a {@link FakeEcs}. */
final class TestSettings {

  static final String CREDENTIALS = "test:aws-keys";
  static final String KEY_ID = "AKIAFAKEKEYONE";
  static final String SECRET = "secret-one";
  static final String CLUSTER = "ci";

  private TestSettings() {}

  /** A fake that knows the test's first key pair. */
  static FakeEcs fake() {
    return FakeEcs.start(CLUSTER).acceptKey(KEY_ID, SECRET);
  }

  static Map<String, String> forFake(FakeEcs fake) {
    Map<String, String> settings = new HashMap<>();
    settings.put("region", FakeEcs.REGION);
    settings.put("endpoint", fake.endpoint());
    settings.put("credentials", CREDENTIALS);
    settings.put("cluster", CLUSTER);
    settings.put("subnets", "subnet-0a1b2c3d,subnet-4e5f6a7b");
    settings.put("securityGroups", "sg-0123abcd");
    settings.put("agentImage", "hodei-agent:test");
    settings.put("pollInterval", "200ms");
    // Short timeouts and backoff: the fault tests wait through every retry.
    settings.put("requestTimeout", "1s");
    settings.put("callTimeout", "20s");
    settings.put("maxAttempts", "4");
    settings.put("retryBaseDelay", "20ms");
    settings.put("throttlingBaseDelay", "50ms");
    settings.put("maxBackoff", "300ms");
    return settings;
  }

  static Map<String, String> with(Map<String, String> base, String... keysAndValues) {
    Map<String, String> settings = new HashMap<>(base);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      settings.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return settings;
  }

  static TestingCredentialHandle credentials() {
    return TestingCredentialHandle.empty().with(CREDENTIALS, keys(KEY_ID, SECRET));
  }

  static Map<String, String> keys(String keyId, String secret) {
    return Map.of(
        AwsCredentialsReader.ACCESS_KEY_ID, keyId, AwsCredentialsReader.SECRET_ACCESS_KEY, secret);
  }

  /** An initialized provider on the fake, with its own event sink and clock. */
  static EcsProvider started(
      Map<String, String> settings,
      TestingCredentialHandle credentials,
      RecordingEventSink events,
      TestingClock clock) {
    EcsProvider provider = new EcsProvider();
    provider.initialize(
        new ProviderContext(
            "ecs-test",
            "install-1",
            new ProviderConfig("ecs-test", settings),
            credentials,
            events,
            clock));
    return provider;
  }
}
