package io.hodei.plugins.ecs;

import io.hodei.plugin.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CPU and memory combinations Fargate accepts for a Linux task, and the smallest one that holds
 * a request. Fargate refuses any other combination, so a request is rounded up, never down.
 */
final class FargateSizes {

  /** One CPU size and the memory sizes allowed with it, in MiB, ascending. */
  record Row(int cpuUnits, List<Integer> memoryMib) {}

  /** The documented table ("Task CPU and memory" in the Amazon ECS developer guide). */
  static final List<Row> TABLE =
      List.of(
          new Row(256, List.of(512, 1024, 2048)),
          new Row(512, steps(1024, 4096, 1024)),
          new Row(1024, steps(2048, 8192, 1024)),
          new Row(2048, steps(4096, 16384, 1024)),
          new Row(4096, steps(8192, 30720, 1024)),
          new Row(8192, steps(16384, 61440, 4096)),
          new Row(16384, steps(32768, 122880, 8192)));

  /** Fargate's largest task, in Hodei's units: 16 vCPU, 120 GiB, 200 GiB of ephemeral storage. */
  static final Resources LARGEST = new Resources(16_000, 122_880, 0, 200 * 1024);

  /** Up to this much disk, Fargate's default ephemeral storage suffices. */
  static final long DEFAULT_STORAGE_MIB = 20 * 1024;

  private FargateSizes() {}

  /**
   * The smallest Fargate size holding {@code request}; empty when none does. CPU first: the
   * smallest CPU size that holds the CPU and allows the memory, then the smallest memory size.
   */
  static Optional<TaskSize> fit(Resources request) {
    int units = TaskSize.unitsFor(request.cpuMillis());
    if (request.gpus() > 0 || request.diskMib() > LARGEST.diskMib()) {
      return Optional.empty();
    }
    int storage =
        request.diskMib() > DEFAULT_STORAGE_MIB ? (int) Math.ceil(request.diskMib() / 1024.0) : 0;
    for (Row row : TABLE) {
      if (row.cpuUnits() < units) {
        continue;
      }
      for (int memory : row.memoryMib()) {
        if (memory >= request.memoryMib()) {
          return Optional.of(new TaskSize(request, row.cpuUnits(), memory, storage, 0, true));
        }
      }
    }
    return Optional.empty();
  }

  private static List<Integer> steps(int from, int to, int step) {
    List<Integer> values = new ArrayList<>();
    for (int value = from; value <= to; value += step) {
      values.add(value);
    }
    return List.copyOf(values);
  }
}
