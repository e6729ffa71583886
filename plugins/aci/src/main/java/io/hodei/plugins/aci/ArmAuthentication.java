package io.hodei.plugins.aci;

import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.hodei.plugin.api.Credential;
import java.util.Optional;

/**
 * Turns a provider instance's Azure credential into the pipeline policy that authenticates each
 * Resource Manager request; called again whenever the credential rotates.
 */
interface ArmAuthentication {

  /**
   * @param connection the instance's connection settings (cloud, tenant, managed identity)
   * @param credential the fetched credential; empty with {@code managedIdentity=true}
   * @param httpClient the instance's HTTP client, for token requests to the sign-in authority
   * @throws io.hodei.plugin.api.ProviderException with {@code INVALID_CONFIGURATION} when the
   *     credential lacks the fields any supported kind needs
   */
  HttpPipelinePolicy policy(
      AciSettings.Connection connection, Optional<Credential> credential, HttpClient httpClient);
}
