package io.hodei.server.providers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.util.Map;
import java.util.Optional;

/**
 * Provider instances declared in configuration, applied at every start:
 *
 * <pre>
 * hodei.provider-instances.docker-ci.type=docker
 * hodei.provider-instances.docker-ci.config.host=unix:///var/run/docker.sock
 * </pre>
 */
@ConfigMapping(prefix = "hodei.provider-instances")
public interface ProviderInstancesConfig {

  @WithParentName
  Map<String, Instance> instances();

  /** One declared instance. */
  interface Instance {
    String type();

    Map<String, String> config();

    /** Workers all pools on the instance may hold together; unset is not capped. */
    Optional<Integer> maxWorkers();

    /** CPU millicores all pools on the instance may hold together; unset is not capped. */
    Optional<Long> maxCpuMillis();

    /** MiB of memory all pools on the instance may hold together; unset is not capped. */
    Optional<Long> maxMemoryMib();
  }
}
