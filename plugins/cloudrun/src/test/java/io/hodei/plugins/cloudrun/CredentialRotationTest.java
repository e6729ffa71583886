package io.hodei.plugins.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.Credential;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import io.hodei.plugins.cloudrun.fake.FakeCloudRun;
import io.hodei.plugins.cloudrun.fake.FakeOAuth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A rotated service-account key reaches Cloud Run on the next call, without a restart. */
class CredentialRotationTest {

  private FakeCloudRun cloudRun;
  private CloudRunProvider provider;
  private String firstKey;
  private TestingCredentialHandle credentials;

  @BeforeEach
  void start() {
    cloudRun = FakeCloudRun.start();
    firstKey = cloudRun.oauth().newServiceAccountKey("hodei-one");
    credentials = TestingCredentialHandle.empty().with(TestSettings.KEY_REFERENCE, firstKey);
    provider =
        TestWorkers.start(TestSettings.forFake(cloudRun), credentials, new RecordingEventSink());
  }

  @AfterEach
  void stop() {
    provider.close();
    cloudRun.close();
  }

  @Test
  void theNextCallAfterARotationCarriesTheNewKey() {
    provider.list();
    assertThat(identityOfLastJobList()).isEqualTo(FakeOAuth.emailOf(firstKey));
    assertThat(credentials.listenerCount(TestSettings.KEY_REFERENCE))
        .as("the provider subscribed to rotations of its key")
        .isEqualTo(1);

    String secondKey = cloudRun.oauth().newServiceAccountKey("hodei-two");
    credentials.rotate(TestSettings.KEY_REFERENCE, Map.of("json", secondKey));
    provider.list();

    assertThat(identityOfLastJobList()).isEqualTo(FakeOAuth.emailOf(secondKey));
  }

  @Test
  void aRotationToAnUnusableValueKeepsThePreviousKey() {
    credentials.rotate(TestSettings.KEY_REFERENCE, Map.of(Credential.VALUE, "not a key"));

    provider.list();

    assertThat(identityOfLastJobList()).isEqualTo(FakeOAuth.emailOf(firstKey));
  }

  private String identityOfLastJobList() {
    List<FakeCloudRun.RecordedRequest> lists =
        cloudRun.requests().stream()
            .filter(r -> r.method().equals("GET"))
            .filter(r -> r.path().endsWith("/locations/" + FakeCloudRun.REGION + "/jobs"))
            .toList();
    assertThat(lists).as("list() asked Cloud Run for jobs").isNotEmpty();
    return lists.get(lists.size() - 1).identity();
  }
}
