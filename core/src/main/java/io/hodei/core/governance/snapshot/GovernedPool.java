package io.hodei.core.governance.snapshot;

import java.util.Map;
import java.util.Optional;

/**
 * A pool as the resource controller sees it.
 *
 * @param name the pool's name
 * @param labels labels that job pool selectors match, such as {@code gpu=true}
 * @param capacity what the pool may hold at once; its {@code jobs} dimension is usually unlimited
 * @param rate what its workers cost
 * @param priority higher is tried first by selectors
 * @param state whether it admits jobs
 * @param providerInstance the provider instance that starts its workers
 * @param ownerTenant the only tenant whose jobs may run there; empty for a shared pool
 * @param allowUnisolated whether the pool, though shared, may take jobs on workers that are not
 *     isolated from each other: an operator accepted it, or the installation has one tenant only
 */
public record GovernedPool(
    String name,
    Map<String, String> labels,
    Amounts capacity,
    Rate rate,
    int priority,
    PoolState state,
    String providerInstance,
    Optional<String> ownerTenant,
    boolean allowUnisolated) {

  public GovernedPool {
    labels = Map.copyOf(labels);
  }

  /** Whether jobs of {@code tenant} may run in this pool. */
  public boolean serves(String tenant) {
    return ownerTenant.isEmpty() || ownerTenant.get().equals(tenant);
  }

  /** Whether this pool carries every label of {@code selector}. */
  public boolean matches(Map<String, String> selector) {
    for (Map.Entry<String, String> entry : selector.entrySet()) {
      if (!entry.getValue().equals(labels.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
