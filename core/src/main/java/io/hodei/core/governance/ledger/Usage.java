package io.hodei.core.governance.ledger;

import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.Dimension;
import java.util.Optional;

/** A running total in every dimension, changed as a pass reserves and releases. */
public final class Usage {

  private long cpuMillis;
  private long memoryMib;
  private long gpus;
  private long workers;
  private long jobs;

  void add(Amounts amounts) {
    cpuMillis += amounts.cpuMillis();
    memoryMib += amounts.memoryMib();
    gpus += amounts.gpus();
    workers += amounts.workers();
    jobs += amounts.jobs();
  }

  void subtract(Amounts amounts) {
    // A release never takes a total below zero, even for a claim the ledger never saw.
    cpuMillis = Math.max(0, cpuMillis - amounts.cpuMillis());
    memoryMib = Math.max(0, memoryMib - amounts.memoryMib());
    gpus = Math.max(0, gpus - amounts.gpus());
    workers = Math.max(0, workers - amounts.workers());
    jobs = Math.max(0, jobs - amounts.jobs());
  }

  /** The total in one dimension. */
  public long get(Dimension dimension) {
    return switch (dimension) {
      case CPU -> cpuMillis;
      case MEMORY -> memoryMib;
      case GPUS -> gpus;
      case WORKERS -> workers;
      case JOBS -> jobs;
    };
  }

  /** The total as a value. */
  public Amounts amounts() {
    return new Amounts(cpuMillis, memoryMib, gpus, workers, jobs);
  }

  /**
   * The first dimension in which this total plus {@code need}, less {@code freed}, exceeds {@code
   * limit}; empty when it fits.
   */
  public Optional<Dimension> firstExceeded(Amounts limit, Amounts need, Amounts freed) {
    for (Dimension dimension : Dimension.values()) {
      long cap = limit.get(dimension);
      if (cap != Amounts.UNLIMITED
          && get(dimension) - freed.get(dimension) + need.get(dimension) > cap) {
        return Optional.of(dimension);
      }
    }
    return Optional.empty();
  }

  /** {@link #firstExceeded(Amounts, Amounts, Amounts)} with nothing freed. */
  public Optional<Dimension> firstExceeded(Amounts limit, Amounts need) {
    return firstExceeded(limit, need, Amounts.ZERO);
  }
}
