package io.hodei.plugins.aci;

import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.hodei.plugin.api.Credential;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for Microsoft Entra ID, which tests cannot reach: a service principal's secret becomes
 * a bearer token derived from it, so the fake Resource Manager can tell which secret a request was
 * signed with. Counts how often a policy was built (once per client build).
 */
final class FakeTokenAuthentication implements ArmAuthentication {

  final AtomicInteger policiesBuilt = new AtomicInteger();

  /** The token Entra ID would "issue" for this secret. */
  static String tokenFor(String clientId, String clientSecret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
      return "fake." + clientId + "." + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public HttpPipelinePolicy policy(
      AciSettings.Connection connection, Optional<Credential> credential, HttpClient httpClient) {
    policiesBuilt.incrementAndGet();
    Credential c = credential.orElseThrow();
    // The same field checks as the real exchange: a missing field is a configuration error.
    c.field(EntraAuthentication.TENANT_ID);
    return new StaticBearerPolicy(
        tokenFor(
            c.field(EntraAuthentication.CLIENT_ID), c.field(EntraAuthentication.CLIENT_SECRET)));
  }
}
