package io.hodei.credentials.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.credentials.BackendException;
import io.hodei.credentials.audit.AuditAction;
import io.hodei.credentials.policy.AccessPolicy;
import io.hodei.credentials.policy.Caller;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BrokerCredentialHandleTest {

  private final BrokerFixture f =
      new BrokerFixture(
          AccessPolicy.builder().allowProviderInstance("ecs-prod", "aws-sm:prod/ecs-*").build(),
          BrokerSettings.defaults().withUnleasedTtl(Duration.ofSeconds(6)));
  private final BrokerCredentialHandle handle =
      new BrokerCredentialHandle(f.broker, Caller.providerInstance("ecs-prod", "platform"));

  @Test
  void getReturnsTheCredentialWithItsVersionAndExpiry() {
    f.backend.put("prod/ecs-deployer", "first");

    Credential credential = handle.get("aws-sm:prod/ecs-deployer");

    assertThat(credential.value()).isEqualTo("first");
    assertThat(credential.version()).isEqualTo("v1");
    assertThat(credential.expiresAt()).contains(f.clock.instant().plusSeconds(6));
  }

  @Test
  void onRotationDeliversTheNewValueAndCloseReleasesTheLeases() {
    f.backend.put("prod/ecs-deployer", "first");
    List<Credential> rotated = new CopyOnWriteArrayList<>();
    handle.onRotation("aws-sm:prod/ecs-deployer", rotated::add);

    f.backend.put("prod/ecs-deployer", "second");
    f.scheduler.advance(Duration.ofSeconds(5));

    assertThat(rotated).singleElement().satisfies(c -> assertThat(c.value()).isEqualTo("second"));
    handle.close();
    assertThat(f.broker.cachedReferences()).isZero();
    assertThat(f.audit.entries(AuditAction.REVOKE)).hasSize(1);
  }

  @Test
  void mapsDenialsMissingSecretsBadReferencesAndOutagesToProviderErrorCodes() {
    f.backend.put("prod/k8s", "x");
    assertCode(() -> handle.get("aws-sm:prod/k8s"), ErrorCode.PERMISSION_DENIED, "may not read");
    assertCode(
        () -> handle.get("aws-sm:prod/ecs-missing"),
        ErrorCode.INVALID_CONFIGURATION,
        "does not exist");
    assertCode(
        () -> handle.get("not a reference"),
        ErrorCode.INVALID_CONFIGURATION,
        "vault:kv/ci/aws-prod");
    f.backend.put("prod/ecs-deployer", "first");
    f.backend.down(BackendException.Kind.UNAVAILABLE);
    assertCode(
        () -> handle.get("aws-sm:prod/ecs-deployer"), ErrorCode.UNAVAILABLE, "after 4 attempts");
    f.backend.down(BackendException.Kind.UNAUTHENTICATED);
    assertCode(
        () -> handle.get("aws-sm:prod/ecs-deployer"), ErrorCode.UNAVAILABLE, "could not log in");
  }

  private static void assertCode(Runnable call, ErrorCode code, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(message);
  }
}
