package io.hodei.plugins.aci;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates with Microsoft Entra ID: a service principal's secret or certificate, the host's
 * managed identity, or a ready Resource Manager access token issued by the credential broker.
 */
final class EntraAuthentication implements ArmAuthentication {

  static final String ACCESS_TOKEN = "accessToken";
  static final String CLIENT_ID = "clientId";
  static final String CLIENT_SECRET = "clientSecret";
  static final String TENANT_ID = "tenantId";
  static final String CERTIFICATE_PEM = "certificatePem";

  @Override
  public HttpPipelinePolicy policy(
      AciSettings.Connection connection, Optional<Credential> credential, HttpClient httpClient) {
    if (credential.isEmpty()) {
      ManagedIdentityCredentialBuilder builder =
          new ManagedIdentityCredentialBuilder().httpClient(httpClient);
      connection.managedIdentityClientId().ifPresent(builder::clientId);
      return bearer(connection, builder.build());
    }
    Credential c = credential.get();
    Map<String, String> fields = c.values();
    if (fields.containsKey(ACCESS_TOKEN)) {
      return new StaticBearerPolicy(c.field(ACCESS_TOKEN));
    }
    if (fields.containsKey(CLIENT_SECRET)) {
      return bearer(
          connection,
          new ClientSecretCredentialBuilder()
              .clientId(c.field(CLIENT_ID))
              .tenantId(tenant(connection, c))
              .clientSecret(c.field(CLIENT_SECRET))
              .authorityHost(authority(connection))
              .httpClient(httpClient)
              .build());
    }
    if (fields.containsKey(CERTIFICATE_PEM)) {
      return bearer(
          connection,
          new ClientCertificateCredentialBuilder()
              .clientId(c.field(CLIENT_ID))
              .tenantId(tenant(connection, c))
              .pemCertificate(
                  new ByteArrayInputStream(
                      c.field(CERTIFICATE_PEM).getBytes(StandardCharsets.UTF_8)))
              .authorityHost(authority(connection))
              .httpClient(httpClient)
              .build());
    }
    if (fields.size() == 1 && fields.containsKey(Credential.VALUE)) {
      // A single-valued secret: the access token itself.
      return new StaticBearerPolicy(c.value());
    }
    throw new ProviderException(
        ErrorCode.INVALID_CONFIGURATION,
        "credential '"
            + c.reference()
            + "' has fields "
            + fields.keySet()
            + "; an Azure credential needs clientId, tenantId and clientSecret (a service"
            + " principal), clientId, tenantId and certificatePem (a certificate), or accessToken");
  }

  private static HttpPipelinePolicy bearer(
      AciSettings.Connection connection, TokenCredential credential) {
    return new BearerTokenAuthenticationPolicy(credential, connection.cloud().armScope());
  }

  private static String tenant(AciSettings.Connection connection, Credential credential) {
    if (credential.values().containsKey(TENANT_ID)) {
      return credential.field(TENANT_ID);
    }
    return connection
        .tenantId()
        .orElseThrow(
            () ->
                new ProviderException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "credential '"
                        + credential.reference()
                        + "' has no field tenantId and the setting 'tenantId' is not set"));
  }

  private static String authority(AciSettings.Connection connection) {
    return connection.authorityHost().orElse(connection.cloud().authorityHost());
  }
}
