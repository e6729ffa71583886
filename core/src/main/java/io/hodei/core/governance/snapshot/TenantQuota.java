package io.hodei.core.governance.snapshot;

import java.util.List;

/**
 * What a tenant may hold at once, and its weight in fair sharing.
 *
 * @param tenant the tenant
 * @param overall the cap summed over all pools
 * @param perLabel further caps over the pools carrying some labels
 * @param weight its fair-share weight; a tenant of weight 2 is entitled to twice the share of one
 *     of weight 1
 */
public record TenantQuota(
    String tenant, Amounts overall, List<LabelQuota> perLabel, double weight) {

  public TenantQuota {
    perLabel = List.copyOf(perLabel);
    if (!(weight > 0)) {
      throw new IllegalArgumentException("the fair-share weight must be positive");
    }
  }

  /** The quota of a tenant that has none declared: no caps, weight 1. */
  public static TenantQuota unlimited(String tenant) {
    return new TenantQuota(tenant, Amounts.NO_LIMIT, List.of(), 1);
  }
}
