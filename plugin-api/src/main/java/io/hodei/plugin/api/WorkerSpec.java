package io.hodei.plugin.api;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the host asks a provider to start.
 *
 * @param workerId the host's id for the worker; stable across retries of the same provision call
 * @param image the container image to run, if the provider runs images; empty means the provider's
 *     default
 * @param resources what the worker needs
 * @param env environment for the worker's agent; always holds {@link
 *     PluginApi#ENV_BOOTSTRAP_TOKEN}, {@link PluginApi#ENV_SERVER_ADDRESS} and {@link
 *     PluginApi#ENV_WORKER_ID}. The token is a secret: never log it.
 * @param labels ownership labels to put on everything created for this worker; always holds {@link
 *     PluginApi#LABEL_MANAGED}, {@link PluginApi#LABEL_INSTALLATION} and {@link
 *     PluginApi#LABEL_WORKER}
 * @param maxLifetime after this long the worker may be killed by the provider's own backend (for
 *     example Kubernetes' {@code activeDeadlineSeconds}), whatever the host does
 */
public record WorkerSpec(
    String workerId,
    Optional<String> image,
    Resources resources,
    Map<String, String> env,
    Map<String, String> labels,
    Duration maxLifetime) {

  public WorkerSpec {
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
  }

  /** The installation id from the ownership labels. */
  public String installationId() {
    return labels.get(PluginApi.LABEL_INSTALLATION);
  }

  /** Masks the environment's values: a spec is printed in logs and must not leak the token. */
  @Override
  public String toString() {
    return "WorkerSpec[workerId="
        + workerId
        + ", image="
        + image.orElse("<default>")
        + ", resources="
        + resources
        + ", env="
        + env.keySet()
        + ", labels="
        + labels
        + ", maxLifetime="
        + maxLifetime
        + "]";
  }
}
