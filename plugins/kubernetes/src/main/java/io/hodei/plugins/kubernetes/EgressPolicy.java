package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The NetworkPolicy of a namespace Hodei manages: worker pods take no inbound connections and may
 * reach only the control plane, DNS, and the address ranges the instance lists.
 */
final class EgressPolicy {

  static final String NAME = "hodei-worker-egress";

  private EgressPolicy() {}

  static NetworkPolicy build(
      String namespace,
      Map<String, String> ownerLabels,
      String controlPlaneCidr,
      int controlPlanePort,
      List<String> extraCidrs) {
    List<NetworkPolicyEgressRule> egress = new ArrayList<>();
    egress.add(
        new NetworkPolicyEgressRuleBuilder()
            .addNewTo()
            .withNewIpBlock()
            .withCidr(controlPlaneCidr)
            .endIpBlock()
            .endTo()
            .withPorts(port("TCP", controlPlanePort))
            .build());
    // DNS by port, to any destination: clusters name and place their resolver differently.
    egress.add(
        new NetworkPolicyEgressRuleBuilder().withPorts(port("UDP", 53), port("TCP", 53)).build());
    for (String cidr : extraCidrs) {
      egress.add(
          new NetworkPolicyEgressRuleBuilder()
              .addNewTo()
              .withNewIpBlock()
              .withCidr(cidr)
              .endIpBlock()
              .endTo()
              .build());
    }
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(namespace)
        .withLabels(new TreeMap<>(ownerLabels))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(new TreeMap<>(ownerLabels))
        .endPodSelector()
        // Listing Ingress with no rules denies every inbound connection to workers.
        .withPolicyTypes("Ingress", "Egress")
        .withEgress(egress)
        .endSpec()
        .build();
  }

  private static NetworkPolicyPort port(String protocol, int port) {
    NetworkPolicyPort p = new NetworkPolicyPort();
    p.setProtocol(protocol);
    p.setPort(new IntOrString(port));
    return p;
  }
}
