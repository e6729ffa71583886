package io.hodei.core.governance;

import io.hodei.core.governance.snapshot.GovernedPool;
import io.hodei.core.governance.snapshot.PoolChoice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pools a job may run in: its pinned pool, or every pool carrying its selector's labels;
 * tenant-owned pools only for their tenant. Computed once per tenant and choice in a pass.
 */
final class CandidatePools {

  private record Key(String tenant, PoolChoice choice) {}

  private final List<GovernedPool> pools;
  private final Map<String, GovernedPool> byName = new HashMap<>();
  private final Map<Key, List<GovernedPool>> cache = new HashMap<>();

  CandidatePools(List<GovernedPool> pools) {
    this.pools = pools;
    pools.forEach(pool -> byName.put(pool.name(), pool));
  }

  List<GovernedPool> of(String tenant, PoolChoice choice) {
    return cache.computeIfAbsent(new Key(tenant, choice), this::find);
  }

  private List<GovernedPool> find(Key key) {
    if (key.choice() instanceof PoolChoice.Pinned pinned) {
      GovernedPool pool = byName.get(pinned.pool());
      // Another tenant's pool does not exist for this job, as elsewhere in the API.
      return pool == null || !pool.serves(key.tenant()) ? List.of() : List.of(pool);
    }
    PoolChoice.Selector selector = (PoolChoice.Selector) key.choice();
    List<GovernedPool> matching = new ArrayList<>();
    for (GovernedPool pool : pools) {
      if (pool.serves(key.tenant()) && pool.matches(selector.labels())) {
        matching.add(pool);
      }
    }
    return List.copyOf(matching);
  }
}
