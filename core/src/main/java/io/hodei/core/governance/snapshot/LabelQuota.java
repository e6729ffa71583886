package io.hodei.core.governance.snapshot;

import java.util.Map;

/**
 * A cap on what a tenant holds in the pools carrying some labels.
 *
 * @param selector the labels a pool must carry to count, such as {@code gpu=true}
 * @param limit the cap over those pools together
 */
public record LabelQuota(Map<String, String> selector, Amounts limit) {

  public LabelQuota {
    selector = Map.copyOf(selector);
  }

  /** The selector as a person writes it, such as {@code gpu=true,region=eu}. */
  public String describe() {
    return PoolChoice.Selector.describe(selector);
  }
}
