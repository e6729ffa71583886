package io.hodei.plugins.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import io.hodei.plugins.cloudrun.fake.FakeCloudRun;
import io.hodei.plugins.cloudrun.fake.FakeOAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When Cloud Run refuses the key in use (disabled after a rotation whose notice has not arrived),
 * the provider fetches the credential once more and carries on with the new key, or fails clearly.
 */
class AuthenticationFailureTest {

  private FakeCloudRun cloudRun;
  private CloudRunProvider provider;
  private String oldKey;
  private TestingCredentialHandle credentials;

  @BeforeEach
  void start() {
    cloudRun = FakeCloudRun.start();
    oldKey = cloudRun.oauth().newServiceAccountKey("hodei-old");
    credentials = TestingCredentialHandle.empty().with(TestSettings.KEY_REFERENCE, oldKey);
    provider =
        TestWorkers.start(TestSettings.forFake(cloudRun), credentials, new RecordingEventSink());
    provider.list();
  }

  @AfterEach
  void stop() {
    provider.close();
    cloudRun.close();
  }

  @Test
  void aRefusedKeyIsFetchedAgainOnceAndTheCallSucceedsWithTheNewOne() {
    String newKey = cloudRun.oauth().newServiceAccountKey("hodei-new");
    // The broker holds the new key, but its rotation notice has not reached the provider.
    credentials.with(TestSettings.KEY_REFERENCE, newKey);
    cloudRun.oauth().disable(oldKey);
    int readsBefore = credentials.reads(TestSettings.KEY_REFERENCE);
    cloudRun.clearRequests();

    provider.list();

    assertThat(credentials.reads(TestSettings.KEY_REFERENCE) - readsBefore)
        .as("credential fetches after the refusal")
        .isEqualTo(1);
    assertThat(cloudRun.requests())
        .as("requests Cloud Run accepted")
        .filteredOn(r -> r.identity() != null)
        .extracting(FakeCloudRun.RecordedRequest::identity)
        .containsOnly(FakeOAuth.emailOf(newKey));
  }

  @Test
  void aKeyStillRefusedAfterTheRefetchFailsWithAuthentication() {
    cloudRun.oauth().disable(oldKey);
    int readsBefore = credentials.reads(TestSettings.KEY_REFERENCE);

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);

    assertThat(error).isNotNull();
    assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION);
    assertThat(error.retryable()).isFalse();
    assertThat(error.getMessage())
        .contains("also after fetching credential '" + TestSettings.KEY_REFERENCE + "' again")
        .contains(FakeOAuth.emailOf(oldKey))
        .doesNotContain("PRIVATE KEY");
    assertThat(credentials.reads(TestSettings.KEY_REFERENCE) - readsBefore)
        .as("the credential is fetched again exactly once")
        .isEqualTo(1);
    assertThat(provider.health().acceptsWork()).isFalse();
  }
}
