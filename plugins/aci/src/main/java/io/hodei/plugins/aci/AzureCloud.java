package io.hodei.plugins.aci;

import com.azure.core.management.AzureEnvironment;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** The Azure clouds a provider instance can target, by the names the Azure CLI uses. */
enum AzureCloud {
  AZURE_CLOUD("AzureCloud", AzureEnvironment.AZURE),
  AZURE_CHINA_CLOUD("AzureChinaCloud", AzureEnvironment.AZURE_CHINA),
  AZURE_US_GOVERNMENT("AzureUSGovernment", AzureEnvironment.AZURE_US_GOVERNMENT);

  private final String label;
  private final AzureEnvironment environment;

  AzureCloud(String label, AzureEnvironment environment) {
    this.label = label;
    this.environment = environment;
  }

  static AzureCloud parse(String instanceName, String text) {
    return Arrays.stream(values())
        .filter(c -> c.label.equalsIgnoreCase(text.trim()))
        .findFirst()
        .orElseThrow(
            () ->
                AciSettings.invalid(
                    instanceName,
                    "setting 'cloud' must be one of AzureCloud, AzureChinaCloud,"
                        + " AzureUSGovernment; got '"
                        + text
                        + "'"));
  }

  String resourceManagerEndpoint() {
    return environment.getResourceManagerEndpoint();
  }

  /** The sign-in authority of this cloud, e.g. {@code https://login.microsoftonline.com/}. */
  String authorityHost() {
    return environment.getActiveDirectoryEndpoint();
  }

  /**
   * This cloud's endpoints with Resource Manager at {@code resourceManagerEndpoint}, which differs
   * from the cloud's own for Azure Stack Hub and for local test endpoints.
   */
  AzureEnvironment environmentWith(URI resourceManagerEndpoint) {
    Map<String, String> endpoints = new HashMap<>(environment.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", resourceManagerEndpoint.toString());
    return new AzureEnvironment(endpoints);
  }

  /**
   * The OAuth scope of this cloud's Resource Manager tokens: its endpoint plus {@code .default}.
   */
  String armScope() {
    String audience = environment.getResourceManagerEndpoint();
    return (audience.endsWith("/") ? audience : audience + "/") + ".default";
  }

  @Override
  public String toString() {
    return label;
  }
}
