package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.tck.RecordingEventSink;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When Resource Manager refuses the credential (401), the provider fetches it once more through the
 * credential handle and retries; when that does not help, it fails clearly with {@code
 * AUTHENTICATION}.
 */
class AuthenticationRefetchTest {

  private final FakeArm arm = TestSettings.startFake();
  private final BrokerWithoutNotifications broker = new BrokerWithoutNotifications();
  private AciProvider provider;

  @BeforeEach
  void start() {
    broker.put(TestSettings.TOKEN_REFERENCE, Map.of("accessToken", FakeArm.DEFAULT_TOKEN), "1");
    provider =
        Providers.start(
            arm,
            broker,
            Map.of("watchInterval", "0s"),
            new EntraAuthentication(),
            new RecordingEventSink());
  }

  @AfterEach
  void stop() {
    provider.close();
    arm.close();
  }

  @Test
  void aRefusedTokenIsFetchedAgainOnceAndTheCallSucceeds() {
    int readsBefore = broker.reads.get();
    broker.put(TestSettings.TOKEN_REFERENCE, Map.of("accessToken", "token-v2"), "2");
    arm.revokeToken(FakeArm.DEFAULT_TOKEN).acceptToken("token-v2");

    provider.provision(Providers.spec("w-refetch"));

    assertThat(broker.reads.get() - readsBefore).as("fetches after the 401").isEqualTo(1);
    List<FakeArm.RecordedRequest> puts = arm.requests("PUT", "/containerGroups/");
    assertThat(puts).hasSize(1);
    assertThat(puts.get(0).authorization()).isEqualTo("Bearer token-v2");
    assertThat(arm.group("hodei-w-refetch")).isPresent();
  }

  @Test
  void withNoNewerCredentialTheCallFailsWithAuthentication() {
    int readsBefore = broker.reads.get();
    arm.revokeToken(FakeArm.DEFAULT_TOKEN);

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);

    assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION);
    assertThat(error.retryable()).isFalse();
    assertThat(error.getMessage())
        .contains("401", "ExpiredAuthenticationToken", "no newer credential")
        .doesNotContain(FakeArm.DEFAULT_TOKEN);
    assertThat(broker.reads.get() - readsBefore).isEqualTo(1);
  }

  @Test
  void aRefetchedCredentialThatIsRefusedTooFailsAfterOneRetry() {
    broker.put(TestSettings.TOKEN_REFERENCE, Map.of("accessToken", "token-v2"), "2");
    arm.revokeToken(FakeArm.DEFAULT_TOKEN);
    arm.clearRequests();

    ProviderException error = catchThrowableOfType(ProviderException.class, provider::list);

    assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION);
    assertThat(error.getMessage()).contains("refused too").doesNotContain("token-v2");
    assertThat(arm.requests("GET", "/containerGroups"))
        .extracting(FakeArm.RecordedRequest::authorization)
        .as("one try with each credential, no more")
        .containsExactly("Bearer " + FakeArm.DEFAULT_TOKEN, "Bearer token-v2");
  }
}
