package io.hodei.credentials.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hodei.credentials.BackendException;
import io.hodei.credentials.BackendException.Kind;
import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The fake's scenarios against real Secrets Manager, when HODEI_IT_AWS_REGION and
 * HODEI_IT_AWS_SECRET_ID are set, with credentials from the standard AWS environment variables.
 */
class AwsSecretsManagerBackendRealEndpointTest {

  private AwsSecretsManagerBackend backend;
  private String secretId;

  @BeforeEach
  void connect() {
    String region = System.getenv("HODEI_IT_AWS_REGION");
    secretId = System.getenv("HODEI_IT_AWS_SECRET_ID");
    assumeTrue(
        region != null && !region.isBlank() && secretId != null && !secretId.isBlank(),
        "no real Secrets Manager: set HODEI_IT_AWS_REGION, HODEI_IT_AWS_SECRET_ID and"
            + " AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY to run these scenarios against it");
    backend = new AwsSecretsManagerBackend(AwsSecretsManagerSettings.of(Region.of(region)));
  }

  @Test
  void readsCurrentVersionAndRotationStatus() {
    SecretReference reference = SecretReference.parse("aws-sm:" + secretId);
    Secret secret = backend.read(reference);
    RotationStatus rotation = backend.rotation(reference);

    assertThat(secret.fields()).isNotEmpty();
    assertThat(rotation.currentVersion()).contains(secret.version());
  }

  @Test
  void missingSecretIsNotFound() {
    assertThatThrownBy(() -> backend.read(SecretReference.parse("aws-sm:hodei-it/missing")))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.kind()).isIn(Kind.NOT_FOUND, Kind.DENIED));
  }
}
