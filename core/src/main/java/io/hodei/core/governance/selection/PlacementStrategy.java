package io.hodei.core.governance.selection;

/** How a selector chooses among pools of equal priority that can all take a job now. */
public enum PlacementStrategy {
  /** Fill the busiest pool that fits, so that others can scale down or stay free for big jobs. */
  BIN_PACK,
  /** Use the least busy pool, so that work is spread and one pool's loss hurts least. */
  SPREAD
}
