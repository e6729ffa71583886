package io.hodei.plugins.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AuthConfig;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryLoginTest {

  @Test
  void theNextPullAfterARotationUsesTheNewPassword() {
    TestingCredentialHandle credentials =
        TestingCredentialHandle.empty().with("reg", Map.of("username", "ci", "password", "old"));
    RegistryLogin login = new RegistryLogin(Optional.of("reg"), credentials);
    assertThat(login.forRegistry(Optional.of("registry.example")))
        .map(AuthConfig::getPassword)
        .contains("old");

    credentials.rotate("reg", Map.of("username", "ci", "password", "new"));

    Optional<AuthConfig> next = login.forRegistry(Optional.of("registry.example"));
    assertThat(next).map(AuthConfig::getPassword).contains("new");
    assertThat(next).map(AuthConfig::getRegistryAddress).contains("registry.example");
    assertThat(credentials.reads("reg")).as("reads: the rotation delivered the value").isEqualTo(1);
  }

  @Test
  void aSingleValueIsUsernameColonPassword() {
    RegistryLogin login =
        new RegistryLogin(
            Optional.of("reg"), TestingCredentialHandle.empty().with("reg", "ci:p:w"));

    AuthConfig auth = login.forRegistry(Optional.empty()).orElseThrow();

    assertThat(auth.getUsername()).isEqualTo("ci");
    assertThat(auth.getPassword()).isEqualTo("p:w");
  }

  @Test
  void noReferenceMeansAnonymousPulls() {
    assertThat(
            new RegistryLogin(Optional.empty(), TestingCredentialHandle.empty())
                .forRegistry(Optional.empty()))
        .isEmpty();
  }

  @Test
  void imageReferencesAlwaysCarryATag() {
    assertThat(ImageReference.parse("maven"))
        .isEqualTo(new ImageReference("maven", "latest", Optional.empty()));
    assertThat(ImageReference.parse("registry.example:5000/team/app:1.2"))
        .isEqualTo(
            new ImageReference(
                "registry.example:5000/team/app", "1.2", Optional.of("registry.example:5000")));
    assertThat(ImageReference.parse("team/app@sha256:abc"))
        .isEqualTo(new ImageReference("team/app", "sha256:abc", Optional.empty()));
  }
}
