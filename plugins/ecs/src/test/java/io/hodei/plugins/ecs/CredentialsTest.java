package io.hodei.plugins.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingClock;
import io.hodei.plugin.tck.TestingCredentialHandle;
import io.hodei.plugins.ecs.fake.FakeEcs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials come by reference: a rotation reaches ECS on the next request without a restart; a
 * refusal by AWS fetches the credential once more, then fails clearly; AssumeRole works on top of
 * them. The fake checks each request's signature with the secret it holds for the key id.
 */
class CredentialsTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/hodei-ecs";

  private FakeEcs fake;
  private TestingCredentialHandle credentials;
  private EcsProvider provider;

  @BeforeEach
  void start() {
    fake = TestSettings.fake().acceptKey("AKIAFAKEKEYTWO", "secret-two");
    credentials = TestSettings.credentials();
  }

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.close();
    }
    fake.close();
  }

  private void startProvider(String... extraSettings) {
    Map<String, String> settings =
        TestSettings.with(TestSettings.forFake(fake), "pollInterval", "1h");
    provider =
        TestSettings.started(
            TestSettings.with(settings, extraSettings),
            credentials,
            new RecordingEventSink(),
            TestingClock.startingNow());
  }

  @Test
  void theNextCallAfterARotationIsSignedWithTheNewKey() {
    startProvider();
    provider.list();
    assertThat(lastKeyOf("ListTasks")).isEqualTo(TestSettings.KEY_ID);
    assertThat(credentials.listenerCount(TestSettings.CREDENTIALS))
        .as("the provider subscribed to rotations of its credential")
        .isEqualTo(1);

    credentials.rotate(TestSettings.CREDENTIALS, TestSettings.keys("AKIAFAKEKEYTWO", "secret-two"));
    provider.list();

    assertThat(lastKeyOf("ListTasks")).isEqualTo("AKIAFAKEKEYTWO");
  }

  @Test
  void aRefusedKeyIsFetchedAgainOnceAndTheCallSucceedsWithTheNewOne() {
    startProvider();
    int readsBefore = credentials.reads(TestSettings.CREDENTIALS);
    // The broker holds a new key, but its rotation notice has not reached the provider yet.
    credentials.with(TestSettings.CREDENTIALS, TestSettings.keys("AKIAFAKEKEYTWO", "secret-two"));
    fake.revokeKey(TestSettings.KEY_ID);

    provider.list();

    assertThat(credentials.reads(TestSettings.CREDENTIALS)).isEqualTo(readsBefore + 1);
    assertThat(fake.requests("ListTasks"))
        .extracting(FakeEcs.Recorded::accessKeyId)
        .containsExactly(TestSettings.KEY_ID, "AKIAFAKEKEYTWO");
  }

  @Test
  void aKeyStillRefusedAfterFetchingItAgainFailsAsAuthentication() {
    startProvider();
    int readsBefore = credentials.reads(TestSettings.CREDENTIALS);
    fake.revokeKey(TestSettings.KEY_ID);

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);

    assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION);
    assertThat(error.retryable()).isFalse();
    assertThat(error.getMessage())
        .contains("UnrecognizedClientException")
        .contains("also after fetching '" + TestSettings.CREDENTIALS + "' again")
        .doesNotContain(TestSettings.SECRET);
    assertThat(credentials.reads(TestSettings.CREDENTIALS))
        .as("exactly one more fetch")
        .isEqualTo(readsBefore + 1);
    assertThat(fake.requests("ListTasks")).as("the first try and one more").hasSize(2);
  }

  @Test
  void aWrongSecretFailsTheSignatureCheck() {
    credentials =
        TestingCredentialHandle.empty()
            .with(
                TestSettings.CREDENTIALS, TestSettings.keys(TestSettings.KEY_ID, "not-the-secret"));
    startProvider();

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);

    assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION);
    assertThat(error.getMessage())
        .contains("InvalidSignatureException")
        .doesNotContain("not-the-secret");
  }

  @Test
  void aCredentialWithoutKeysIsAConfigurationErrorThatPrintsNoValue() {
    credentials =
        TestingCredentialHandle.empty()
            .with(TestSettings.CREDENTIALS, Map.of("password", "hunter2-secret"));

    ProviderException error = catchThrowableOfType(ProviderException.class, this::startProvider);

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    assertThat(error.getMessage())
        .contains(TestSettings.CREDENTIALS)
        .contains("accessKeyId")
        .doesNotContain("hunter2-secret");
  }

  @Test
  void aSingleValuedCredentialMayHoldTheKeysAsJson() {
    credentials =
        TestingCredentialHandle.empty()
            .with(
                TestSettings.CREDENTIALS,
                "{\"accessKeyId\":\"AKIAFAKEKEYTWO\",\"secretAccessKey\":\"secret-two\"}");
    startProvider();

    provider.list();

    assertThat(lastKeyOf("ListTasks")).isEqualTo("AKIAFAKEKEYTWO");
  }

  @Test
  void assumeRoleSignsEcsCallsWithTheRolesSessionCredentials() {
    startProvider("assumeRoleArn", ROLE, "stsEndpoint", fake.endpoint());

    provider.list();

    assertThat(fake.assumedRoles()).containsExactly(ROLE);
    assertThat(lastKeyOf("AssumeRole")).isEqualTo(TestSettings.KEY_ID);
    FakeEcs.Recorded listTasks = last("ListTasks");
    assertThat(listTasks.accessKeyId()).startsWith("ASIA");
    assertThat(listTasks.securityToken()).isPresent();
  }

  @Test
  void aRotationUnderAssumeRoleAssumesTheRoleWithTheNewKey() {
    startProvider("assumeRoleArn", ROLE, "stsEndpoint", fake.endpoint());
    provider.list();

    credentials.rotate(TestSettings.CREDENTIALS, TestSettings.keys("AKIAFAKEKEYTWO", "secret-two"));
    provider.list();

    assertThat(fake.requests("AssumeRole"))
        .extracting(FakeEcs.Recorded::accessKeyId)
        .containsExactly(TestSettings.KEY_ID, "AKIAFAKEKEYTWO");
  }

  @Test
  void anUnusableRotatedValueKeepsThePreviousClient() {
    startProvider();

    credentials.rotate(TestSettings.CREDENTIALS, Map.of(Credential.VALUE, "not json"));
    provider.list();

    assertThat(lastKeyOf("ListTasks")).isEqualTo(TestSettings.KEY_ID);
  }

  private String lastKeyOf(String operation) {
    return last(operation).accessKeyId();
  }

  private FakeEcs.Recorded last(String operation) {
    List<FakeEcs.Recorded> requests = fake.requests(operation);
    assertThat(requests).as("requests of %s", operation).isNotEmpty();
    return requests.get(requests.size() - 1);
  }
}
