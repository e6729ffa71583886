package io.hodei.plugins.aci;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupRestartPolicy;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSku;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSubnetId;
import com.azure.resourcemanager.containerinstance.models.EnvironmentVariable;
import com.azure.resourcemanager.containerinstance.models.ImageRegistryCredential;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.ResourceRequests;
import com.azure.resourcemanager.containerinstance.models.ResourceRequirements;
import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.WorkerSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds the container group of one worker: one container, restart policy {@code Never}, the spec's
 * environment with the bootstrap token (and anything named like a secret) as secure values, which
 * Resource Manager never returns in its answers.
 */
final class WorkerGroupTemplate {

  static final String CONTAINER = "worker";

  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|KEY).*");

  private final AciSettings settings;

  WorkerGroupTemplate(AciSettings settings) {
    this.settings = settings;
  }

  ContainerGroupInner build(
      WorkerSpec spec,
      GroupSize size,
      Map<String, String> tags,
      Optional<Credential> registryCredential) {
    String image =
        spec.image()
            .or(settings::defaultImage)
            .orElseThrow(
                () ->
                    new ProviderException(
                        ErrorCode.INVALID_SPEC,
                        "worker "
                            + spec.workerId()
                            + " names no image and provider instance '"
                            + settings.instanceName()
                            + "' has no defaultImage; set one of them"));
    Container container =
        new Container()
            .withName(CONTAINER)
            .withImage(image)
            .withEnvironmentVariables(environment(spec.env()))
            .withResources(
                new ResourceRequirements()
                    .withRequests(
                        new ResourceRequests()
                            .withCpu(size.cpuCores())
                            .withMemoryInGB(size.memoryGb())));
    if (!settings.command().isEmpty()) {
      container.withCommand(settings.command());
    }
    ContainerGroupInner group =
        new ContainerGroupInner()
            .withOsType(OperatingSystemTypes.LINUX)
            .withRestartPolicy(ContainerGroupRestartPolicy.NEVER)
            .withSku(ContainerGroupSku.STANDARD)
            .withContainers(List.of(container));
    group.withLocation(settings.location());
    group.withTags(tags);
    settings
        .subnetId()
        .ifPresent(id -> group.withSubnetIds(List.of(new ContainerGroupSubnetId().withId(id))));
    registryCredential.ifPresent(
        credential ->
            group.withImageRegistryCredentials(
                List.of(
                    new ImageRegistryCredential()
                        .withServer(credential.field("server"))
                        .withUsername(credential.field("username"))
                        .withPassword(credential.field("password")))));
    return group;
  }

  private static List<EnvironmentVariable> environment(Map<String, String> env) {
    return new TreeMap<>(env)
        .entrySet().stream()
            .map(
                e ->
                    isSecret(e.getKey())
                        ? new EnvironmentVariable()
                            .withName(e.getKey())
                            .withSecureValue(e.getValue())
                        : new EnvironmentVariable().withName(e.getKey()).withValue(e.getValue()))
            .toList();
  }

  /** Whether a variable goes as a secure value: the bootstrap token, and names like secrets. */
  static boolean isSecret(String name) {
    return PluginApi.ENV_BOOTSTRAP_TOKEN.equals(name)
        || SECRET_NAME.matcher(name.toUpperCase(java.util.Locale.ROOT)).matches();
  }
}
