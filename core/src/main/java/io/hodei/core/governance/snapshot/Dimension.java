package io.hodei.core.governance.snapshot;

/** One measured dimension of capacity, with how a person reads its amounts. */
public enum Dimension {
  CPU("cpu", "m"),
  MEMORY("memory", " MiB"),
  GPUS("gpus", ""),
  WORKERS("workers", ""),
  JOBS("running jobs", "");

  private final String label;
  private final String unit;

  Dimension(String label, String unit) {
    this.label = label;
    this.unit = unit;
  }

  /** The name used in messages, such as {@code cpu}. */
  public String label() {
    return label;
  }

  /** An amount of this dimension for a person, such as {@code 8000m} or {@code 512 MiB}. */
  public String format(long amount) {
    return amount == Amounts.UNLIMITED ? "unlimited" : amount + unit;
  }
}
