package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Wraps a worker's pod template into the object Kubernetes runs: a Job or a bare Pod. */
final class Workloads {

  private Workloads() {}

  /** The name of a worker's Job or Pod: {@code hodei-<worker id>}, DNS-safe, at most 63. */
  static String name(String workerId) {
    return OwnershipLabels.dnsLabel("hodei-", workerId, 63);
  }

  static HasMetadata of(
      WorkloadKind kind,
      String name,
      String namespace,
      Map<String, String> labels,
      PodTemplateSpec template,
      Duration maxLifetime,
      int ttlSecondsAfterFinished) {
    Long deadline =
        maxLifetime.isZero() || maxLifetime.isNegative() ? null : maxLifetime.toSeconds();
    var metadata =
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(new TreeMap<>(labels))
            .build();
    if (kind == WorkloadKind.POD) {
      Pod pod =
          new PodBuilder()
              .withMetadata(metadata)
              .withSpec(template.getSpec())
              .editSpec()
              .withActiveDeadlineSeconds(deadline)
              .endSpec()
              .build();
      pod.getMetadata().setLabels(new TreeMap<>(template.getMetadata().getLabels()));
      pod.getMetadata().setAnnotations(template.getMetadata().getAnnotations());
      return pod;
    }
    return new JobBuilder()
        .withMetadata(metadata)
        .withNewSpec()
        // One attempt: a retry is the control plane's decision, with a fresh bootstrap token.
        .withBackoffLimit(0)
        .withCompletions(1)
        .withParallelism(1)
        .withActiveDeadlineSeconds(deadline)
        // Kubernetes deletes the finished Job and its pod itself, even while Hodei is down.
        .withTtlSecondsAfterFinished(ttlSecondsAfterFinished)
        .withTemplate(template)
        .endSpec()
        .build();
  }
}
