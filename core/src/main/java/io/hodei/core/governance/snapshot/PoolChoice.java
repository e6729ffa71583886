package io.hodei.core.governance.snapshot;

import java.util.Map;

/** How a job names where it runs: one pool, or labels that pools must carry. */
public sealed interface PoolChoice {

  /** The job runs in this pool or waits for it. */
  record Pinned(String pool) implements PoolChoice {}

  /** The job runs in the best pool carrying all these labels. */
  record Selector(Map<String, String> labels) implements PoolChoice {
    public Selector {
      labels = Map.copyOf(labels);
    }

    /** The labels as a person writes them, such as {@code gpu=true,region=eu}. */
    public String describe() {
      return describe(labels);
    }

    static String describe(Map<String, String> labels) {
      return labels.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .map(entry -> entry.getKey() + "=" + entry.getValue())
          .reduce((a, b) -> a + "," + b)
          .orElse("");
    }
  }

  static PoolChoice pinned(String pool) {
    return new Pinned(pool);
  }

  static PoolChoice selector(Map<String, String> labels) {
    return new Selector(labels);
  }
}
