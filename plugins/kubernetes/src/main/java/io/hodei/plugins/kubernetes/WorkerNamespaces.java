package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.WorkerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses each worker's namespace and prepares it once per provider instance: the namespace itself
 * (per-tenant mode only), its egress NetworkPolicy and its image pull secrets.
 */
final class WorkerNamespaces {

  private final KubernetesSettings settings;
  private final CredentialHandle credentials;
  private final Map<String, String> ownerLabels;
  private final Set<String> prepared = ConcurrentHashMap.newKeySet();

  WorkerNamespaces(
      KubernetesSettings settings, CredentialHandle credentials, Map<String, String> ownerLabels) {
    this.settings = settings;
    this.credentials = credentials;
    this.ownerLabels = Map.copyOf(ownerLabels);
    for (String reference : settings.imagePullSecretCredentials()) {
      // The next provision in each namespace writes the rotated value.
      credentials.onRotation(reference, rotated -> prepared.clear());
    }
  }

  /**
   * The worker's namespace: {@code <namespacePrefix><tenant>} when per-tenant namespaces are on and
   * the spec carries the tenant label, the instance's {@code namespace} otherwise.
   */
  String namespaceFor(WorkerSpec spec) {
    String tenant = spec.labels().get(settings.tenantLabel());
    if (settings.namespacePerTenant() && tenant != null && !tenant.isBlank()) {
      return OwnershipLabels.dnsLabel(settings.namespacePrefix(), tenant, 63);
    }
    return settings.namespace();
  }

  /** The names of the pull secrets every worker pod refers to. */
  List<String> pullSecretNames() {
    return settings.imagePullSecretCredentials().stream().map(PullSecrets::name).toList();
  }

  /** Makes sure the namespace holds what workers need; cheap after the first time. */
  void prepare(KubernetesClient client, String namespace, WorkerSpec spec) {
    if (prepared.contains(namespace)) {
      return;
    }
    String instance = settings.instanceName();
    if (settings.namespacePerTenant() && !namespace.equals(settings.namespace())) {
      KubernetesErrors.run(
          instance, "creating namespace " + namespace, () -> createNamespace(client, namespace));
    }
    if (settings.networkPolicy()) {
      KubernetesErrors.run(
          instance,
          "applying NetworkPolicy " + EgressPolicy.NAME + " in " + namespace,
          () ->
              client
                  .network()
                  .v1()
                  .networkPolicies()
                  .inNamespace(namespace)
                  .resource(policy(namespace, spec))
                  .createOr(NonDeletingOperation::update));
    }
    for (String reference : settings.imagePullSecretCredentials()) {
      var secret = PullSecrets.build(namespace, ownerLabels, credentials.get(reference));
      KubernetesErrors.run(
          instance,
          "writing image pull secret " + secret.getMetadata().getName() + " in " + namespace,
          () ->
              client
                  .secrets()
                  .inNamespace(namespace)
                  .resource(secret)
                  .createOr(NonDeletingOperation::update));
    }
    prepared.add(namespace);
  }

  io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy policy(
      String namespace, WorkerSpec spec) {
    List<String> cidrs = new ArrayList<>(settings.egressCidrs());
    return EgressPolicy.build(
        namespace,
        ownerLabels,
        settings.controlPlaneCidr().orElseThrow(),
        settings.controlPlanePort().orElseGet(() -> portOf(spec)),
        cidrs);
  }

  private void createNamespace(KubernetesClient client, String namespace) {
    if (client.namespaces().withName(namespace).get() != null) {
      return;
    }
    Namespace created =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(namespace)
            .withLabels(new java.util.TreeMap<>(ownerLabels))
            // Kubernetes itself then refuses any pod in it that breaks the Restricted standard.
            .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
            .endMetadata()
            .build();
    try {
      client.namespaces().resource(created).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Another replica created it first: just what we wanted.
    }
  }

  /** The port of the control plane address the spec hands the agent. */
  private static int portOf(WorkerSpec spec) {
    String address = spec.env().getOrDefault(PluginApi.ENV_SERVER_ADDRESS, "");
    int colon = address.lastIndexOf(':');
    try {
      return Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return 443;
    }
  }
}
