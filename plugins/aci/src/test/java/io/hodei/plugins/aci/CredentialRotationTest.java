package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A rotated credential reaches Resource Manager on the next call, without a restart. */
class CredentialRotationTest {

  private static final String SP = "aci-service-principal";

  private final FakeArm arm = TestSettings.startFake();
  private AciProvider provider;

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.close();
    }
    arm.close();
  }

  @Test
  void aRotatedServicePrincipalSecretSignsTheNextRequest() {
    TestingCredentialHandle credentials =
        TestingCredentialHandle.empty().with(SP, servicePrincipal("secret-one"));
    String first = FakeTokenAuthentication.tokenFor("app-1", "secret-one");
    String second = FakeTokenAuthentication.tokenFor("app-1", "secret-two");
    arm.acceptToken(first);
    provider =
        Providers.start(
            arm,
            credentials,
            Map.of("credentials", SP, "watchInterval", "0s"),
            new FakeTokenAuthentication(),
            new RecordingEventSink());

    provider.list();
    assertThat(lastListAuthorization()).isEqualTo("Bearer " + first);
    assertThat(credentials.listenerCount(SP))
        .as("the provider subscribed to rotations of its credential")
        .isEqualTo(1);

    // Entra ID accepts only the new secret from now on.
    arm.acceptToken(second).revokeToken(first);
    credentials.rotate(SP, servicePrincipal("secret-two"));
    provider.list();

    assertThat(lastListAuthorization()).isEqualTo("Bearer " + second);
  }

  @Test
  void aRotatedAccessTokenIsSentByTheProductionAuthentication() {
    TestingCredentialHandle credentials = TestSettings.tokenCredentials();
    provider =
        Providers.start(
            arm,
            credentials,
            Map.of("watchInterval", "0s"),
            new EntraAuthentication(),
            new RecordingEventSink());
    provider.list();
    assertThat(lastListAuthorization()).isEqualTo("Bearer " + FakeArm.DEFAULT_TOKEN);

    arm.acceptToken("broker-issued-2").revokeToken(FakeArm.DEFAULT_TOKEN);
    credentials.rotate(
        TestSettings.TOKEN_REFERENCE, Map.of(EntraAuthentication.ACCESS_TOKEN, "broker-issued-2"));
    provider.list();

    assertThat(lastListAuthorization()).isEqualTo("Bearer broker-issued-2");
  }

  @Test
  void anUnusableRotatedValueKeepsThePreviousCredential() {
    TestingCredentialHandle credentials =
        TestingCredentialHandle.empty().with(SP, servicePrincipal("secret-one"));
    arm.acceptToken(FakeTokenAuthentication.tokenFor("app-1", "secret-one"));
    provider =
        Providers.start(
            arm,
            credentials,
            Map.of("credentials", SP, "watchInterval", "0s"),
            new FakeTokenAuthentication(),
            new RecordingEventSink());

    credentials.rotate(SP, Map.of("clientId", "app-1"));
    provider.list();

    assertThat(lastListAuthorization())
        .isEqualTo("Bearer " + FakeTokenAuthentication.tokenFor("app-1", "secret-one"));
  }

  private static Map<String, String> servicePrincipal(String secret) {
    return Map.of("clientId", "app-1", "clientSecret", secret, "tenantId", "tenant-1");
  }

  private String lastListAuthorization() {
    List<FakeArm.RecordedRequest> lists = arm.requests("GET", "/containerGroups");
    assertThat(lists).as("list() asked Resource Manager for container groups").isNotEmpty();
    return lists.get(lists.size() - 1).authorization();
  }
}
