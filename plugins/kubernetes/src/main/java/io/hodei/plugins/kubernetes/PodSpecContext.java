package io.hodei.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.WorkerSpec;
import java.util.Optional;

/**
 * What a {@link PodDecorator} sees of one worker: the pod template to change and what it was built
 * from.
 *
 * @param worker the host's request, read only; its environment holds the bootstrap token, which a
 *     decorator must never log or copy elsewhere
 * @param namespace the namespace the worker goes to
 * @param kind whether the pod belongs to a Job or stands alone
 * @param metadata the pod's metadata, to change (labels, annotations); ownership labels set by the
 *     plugin must stay
 * @param spec the pod's spec, to change
 * @param config the provider instance's settings, so a decorator can read its own keys (by
 *     convention {@code decorator.<name>.<key>})
 */
public record PodSpecContext(
    WorkerSpec worker,
    String namespace,
    WorkloadKind kind,
    ObjectMeta metadata,
    PodSpec spec,
    ProviderConfig config) {

  /** A decorator's own setting, {@code decorator.<name>.<key>}. */
  public Optional<String> setting(PodDecorator decorator, String key) {
    return config.get("decorator." + decorator.name() + "." + key);
  }
}
