package io.hodei.plugins.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad settings fail initialize with the key and the fix, never with a secret. */
class CloudRunSettingsTest {

  private static final Map<String, String> VALID =
      Map.of("project", "hodei-test", "region", "europe-west1", "credentials", "ref");

  @Test
  void credentialsAndWorkloadIdentityAreExclusive() {
    assertThat(invalid(TestSettings.with(VALID, "workloadIdentity", "true")))
        .contains("exactly one of 'credentials'")
        .contains("workloadIdentity");
    Map<String, String> neither = TestSettings.with(VALID);
    neither.remove("credentials");
    assertThat(invalid(neither)).contains("exactly one of 'credentials'");
  }

  @Test
  void projectAndRegionAreRequiredAndChecked() {
    Map<String, String> noProject = TestSettings.with(VALID);
    noProject.remove("project");
    assertThat(invalid(noProject)).contains("'project'").contains("required");
    assertThat(invalid(TestSettings.with(VALID, "region", "Europe West"))).contains("'region'");
    assertThat(invalid(TestSettings.with(VALID, "maxRetries", "11"))).contains("'maxRetries'");
    assertThat(invalid(TestSettings.with(VALID, "vpcEgress", "some"))).contains("'vpcEgress'");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    CloudRunSettings settings = CloudRunSettings.read("i", new ProviderConfig("i", VALID));

    assertThat(settings.maxRetries()).isZero();
    assertThat(settings.workDir()).isEqualTo("/workspace");
    assertThat(settings.vpcEgress()).isEqualTo("PRIVATE_RANGES_ONLY");
    assertThat(settings.maxPerWorker()).isEqualTo(CloudRunSettings.defaultMaxPerWorker());
    assertThat(settings.location()).isEqualTo("projects/hodei-test/locations/europe-west1");
  }

  @Test
  void aCredentialThatIsNoKeyFailsWithoutPrintingIt() {
    TestingCredentialHandle credentials =
        TestingCredentialHandle.empty()
            .with("ref", Map.of(Credential.VALUE, "-----BEGIN PRIVATE KEY----- secret-bytes"));

    ProviderException error =
        catchThrowableOfType(
            ProviderException.class,
            () -> TestWorkers.start(VALID, credentials, new RecordingEventSink()));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    assertThat(error.getMessage())
        .contains("credential 'ref'")
        .contains("service-account key JSON")
        .doesNotContain("secret-bytes");
  }

  private static String invalid(Map<String, String> settings) {
    ProviderException error =
        catchThrowableOfType(
            ProviderException.class,
            () -> CloudRunSettings.read("i", new ProviderConfig("i", settings)));
    assertThat(error).as("settings %s must be refused", settings.keySet()).isNotNull();
    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    return error.getMessage();
  }
}
