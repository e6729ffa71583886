package io.hodei.credentials.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.plugin.api.ProviderException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RawSecretDetectorTest {

  private final RawSecretDetector detector =
      new RawSecretDetector(Set.of("vault", "aws-sm", "local"));

  @Test
  void flagsAccessKeysPrivateKeysTokensAndRandomValuesUnderSecretKeys() {
    Map<String, String> config =
        Map.of(
            "accessKeyId", "AKIAIOSFODNN7EXAMPLE",
            "sshKey",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----",
            "githubToken", "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5",
            "secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    assertThat(detector.scan(config))
        .extracting(RawSecretDetector.Finding::key)
        .containsExactlyInAnyOrder("accessKeyId", "sshKey", "githubToken", "secret_access_key");
  }

  @Test
  void isNotFooledByReferencesOrOrdinarySettings() {
    Map<String, String> config =
        Map.of(
            "credentials", "aws-sm:prod/ecs-deployer",
            "registryPassword", "local:docker-registry",
            "token", "vault:kv/ci/aws-prod",
            "region", "eu-west-1",
            "kmsKeyId", "1234abcd-12ab-34cd-56ef-1234567890ab",
            "tokenFile", "/var/run/secrets/token",
            "apiKey", "changeme",
            "cluster", "arn:aws:ecs:eu-west-1:123456789012:cluster/ci");

    assertThat(detector.scan(config)).isEmpty();
  }

  @Test
  void aUserPasswordPairIsNotMistakenForAReference() {
    assertThat(detector.scan(Map.of("password", "admin:Xk9#mQ2$vL7pR4&w"))).hasSize(1);
  }

  @Test
  void rejectionNamesTheKeysSaysToUseAReferenceAndNeverEchoesTheValue() {
    assertThatThrownBy(
            () ->
                detector.requireReferences(
                    "ecs-prod", Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE")))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ProviderException.ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("'ecs-prod'")
        .hasMessageContaining("'accessKeyId' (an AWS access key id)")
        .hasMessageContaining("write a reference instead, e.g. vault:")
        .hasMessageNotContaining("AKIAIOSFODNN7EXAMPLE");
  }
}
