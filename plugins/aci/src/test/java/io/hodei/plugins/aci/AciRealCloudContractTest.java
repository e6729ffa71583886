package io.hodei.plugins.aci;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.azure.resourcemanager.containerinstance.fluent.ContainerInstanceManagementClient;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.tck.ProviderContractTest;
import io.hodei.plugin.tck.TestingCredentialHandle;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The provider TCK against real Azure Container Instances. Opt-in: it runs only when these
 * environment variables are set, and is skipped with a message otherwise.
 *
 * <ul>
 *   <li>{@code HODEI_ACI_SUBSCRIPTION_ID}, {@code HODEI_ACI_RESOURCE_GROUP}, {@code
 *       HODEI_ACI_LOCATION}: where the test's container groups go (an existing resource group);
 *   <li>{@code AZURE_CLIENT_ID}, {@code AZURE_CLIENT_SECRET}, {@code AZURE_TENANT_ID}: a service
 *       principal holding the role of {@code docs/providers/aci.md} on that resource group;
 *   <li>{@code HODEI_ACI_IMAGE}: an image with {@code /bin/sh} the subscription can pull, e.g. a
 *       BusyBox image.
 * </ul>
 *
 * The worker prints its environment and sleeps, so the environment probe reads the container's log.
 * Every group the test makes is deleted after it; each costs a few cents at most.
 */
class AciRealCloudContractTest extends ProviderContractTest {

  private static final String CREDENTIAL = "azure-service-principal";
  private static boolean configured;
  private static Map<String, String> settings;
  private static ArmConnection probe;

  @BeforeAll
  static void connectWhenConfigured() {
    Map<String, String> env = System.getenv();
    configured =
        env.containsKey("HODEI_ACI_SUBSCRIPTION_ID")
            && env.containsKey("HODEI_ACI_RESOURCE_GROUP")
            && env.containsKey("HODEI_ACI_LOCATION")
            && env.containsKey("AZURE_CLIENT_ID")
            && env.containsKey("AZURE_CLIENT_SECRET")
            && env.containsKey("AZURE_TENANT_ID")
            && env.containsKey("HODEI_ACI_IMAGE");
    if (!configured) {
      return;
    }
    settings = new HashMap<>();
    settings.put("subscriptionId", env.get("HODEI_ACI_SUBSCRIPTION_ID"));
    settings.put("resourceGroup", env.get("HODEI_ACI_RESOURCE_GROUP"));
    settings.put("location", env.get("HODEI_ACI_LOCATION"));
    settings.put("credentials", CREDENTIAL);
    settings.put("defaultImage", env.get("HODEI_ACI_IMAGE"));
    settings.put("command", "[\"/bin/sh\", \"-c\", \"env; sleep 3600\"]");
    settings.put("provisionWait", "30s");
    probe =
        ArmConnection.open(
            "probe",
            AciSettings.read("probe", new ProviderConfig("probe", settings)).connection(),
            credentialHandle(),
            new EntraAuthentication(),
            "hodei-aci-tck");
  }

  @BeforeEach
  void requireAzure() {
    assumeTrue(
        configured,
        "real Azure test skipped: set HODEI_ACI_SUBSCRIPTION_ID, HODEI_ACI_RESOURCE_GROUP,"
            + " HODEI_ACI_LOCATION, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_TENANT_ID and"
            + " HODEI_ACI_IMAGE (an image with /bin/sh) to run the provider TCK against Azure"
            + " Container Instances");
  }

  @AfterAll
  static void closeProbe() {
    if (probe != null) {
      probe.close();
    }
  }

  private static TestingCredentialHandle credentialHandle() {
    return TestingCredentialHandle.empty()
        .with(
            CREDENTIAL,
            Map.of(
                "clientId", System.getenv("AZURE_CLIENT_ID"),
                "clientSecret", System.getenv("AZURE_CLIENT_SECRET"),
                "tenantId", System.getenv("AZURE_TENANT_ID")));
  }

  @Override
  protected WorkerManagerProvider createProvider() {
    return new AciProvider();
  }

  @Override
  protected ProviderConfig providerConfig(String instanceName) {
    return new ProviderConfig(instanceName, settings);
  }

  @Override
  protected CredentialHandle credentials() {
    return credentialHandle();
  }

  @Override
  protected Resources impossibleResources() {
    return Resources.of(64_000, 1024);
  }

  @Override
  protected Duration stateTimeout() {
    return Duration.ofMinutes(5);
  }

  @Override
  protected boolean mayOutliveClose(Thread thread) {
    return super.mayOutliveClose(thread)
        || thread.getName().startsWith("parallel-")
        || thread.getName().startsWith("boundedElastic-");
  }

  @Override
  protected Map<String, String> environmentOf(WorkerHandle handle) throws Exception {
    ContainerInstanceManagementClient client = probe.client();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    Map<String, String> environment = new HashMap<>();
    while (environment.isEmpty() && System.nanoTime() < deadline) {
      String log =
          client
              .getContainers()
              .listLogs(
                  settings.get("resourceGroup"), handle.resourceId(), WorkerGroupTemplate.CONTAINER)
              .content();
      if (log != null) {
        for (String line : log.split("\n")) {
          int equals = line.indexOf('=');
          if (equals > 0) {
            environment.put(line.substring(0, equals), line.substring(equals + 1).trim());
          }
        }
      }
      if (environment.isEmpty()) {
        Thread.sleep(5_000);
      }
    }
    return environment;
  }

  @Override
  protected Map<String, String> labelsOf(WorkerHandle handle) {
    return OwnershipTags.asSpecLabels(
        probe
            .client()
            .getContainerGroups()
            .getByResourceGroup(settings.get("resourceGroup"), handle.resourceId())
            .tags());
  }
}
