package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which kind of Azure credential a secret's fields make, and what a wrong secret says. */
class EntraAuthenticationTest {

  private final EntraAuthentication authentication = new EntraAuthentication();
  private final HttpClient http = new JdkHttpClientBuilder().build();
  private final AciSettings.Connection connection =
      AciSettings.read(
              "auth",
              new ProviderConfig(
                  "auth",
                  Map.of(
                      "subscriptionId", "s",
                      "resourceGroup", "rg",
                      "location", "westeurope",
                      "credentials", "ref")))
          .connection();

  private static Optional<Credential> credential(Map<String, String> fields) {
    return Optional.of(new Credential("ref", fields, "1", Optional.empty()));
  }

  @Test
  void aServicePrincipalSecretSignsWithEntraTokens() {
    assertThat(
            authentication.policy(
                connection,
                credential(Map.of("clientId", "app", "clientSecret", "s3", "tenantId", "t")),
                http))
        .isInstanceOf(BearerTokenAuthenticationPolicy.class);
  }

  @Test
  void aCertificateSignsWithEntraTokens() {
    assertThat(
            authentication.policy(
                connection,
                credential(
                    Map.of(
                        "clientId",
                        "app",
                        "tenantId",
                        "t",
                        "certificatePem",
                        "-----BEGIN CERTIFICATE-----\n...")),
                http))
        .isInstanceOf(BearerTokenAuthenticationPolicy.class);
  }

  @Test
  void aManagedIdentitySignsWithEntraTokens() {
    assertThat(authentication.policy(connection, Optional.empty(), http))
        .isInstanceOf(BearerTokenAuthenticationPolicy.class);
  }

  @Test
  void anAccessTokenOrASingleValueIsSentAsItIs() {
    assertThat(authentication.policy(connection, credential(Map.of("accessToken", "t")), http))
        .isInstanceOf(StaticBearerPolicy.class)
        .hasToString("StaticBearerPolicy[***]");
    assertThat(authentication.policy(connection, credential(Map.of("value", "t")), http))
        .isInstanceOf(StaticBearerPolicy.class);
  }

  @Test
  void aSecretOfNoKnownShapeNamesItsFieldsButNotTheirValues() {
    ProviderException error =
        catchThrowableOfType(
            ProviderException.class,
            () ->
                authentication.policy(
                    connection, credential(Map.of("user", "u", "password", "hunter2")), http));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    assertThat(error.getMessage()).contains("password", "clientSecret").doesNotContain("hunter2");
  }

  @Test
  void aServicePrincipalWithoutTenantNeedsTheTenantSetting() {
    ProviderException error =
        catchThrowableOfType(
            ProviderException.class,
            () ->
                authentication.policy(
                    connection, credential(Map.of("clientId", "a", "clientSecret", "b")), http));

    assertThat(error.getMessage()).contains("tenantId");
  }
}
