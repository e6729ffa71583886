package io.hodei.plugins.ecs;

import io.hodei.plugin.api.Resources;

/**
 * The CPU and memory an ECS task gets for a worker, with what was asked for, so that rounding up to
 * a valid Fargate size can be reported.
 *
 * @param requested the worker's resources as the spec asked
 * @param cpuUnits ECS CPU units (1024 = one vCPU)
 * @param memoryMib memory in MiB
 * @param ephemeralStorageGib Fargate ephemeral storage in GiB; 0 for the default (20 GiB)
 * @param gpus GPUs (EC2 only)
 * @param fargate whether the size comes from Fargate's table
 */
record TaskSize(
    Resources requested,
    int cpuUnits,
    int memoryMib,
    int ephemeralStorageGib,
    int gpus,
    boolean fargate) {

  /** What a task gets on EC2 when the spec asks for nothing: a quarter vCPU and 512 MiB. */
  static final int DEFAULT_CPU_UNITS = 256;

  static final int DEFAULT_MEMORY_MIB = 512;

  /** On EC2 the task gets what it asks for, in whole CPU units; nothing means the defaults. */
  static TaskSize ec2(Resources request) {
    int units = request.cpuMillis() == 0 ? DEFAULT_CPU_UNITS : unitsFor(request.cpuMillis());
    int memory = request.memoryMib() == 0 ? DEFAULT_MEMORY_MIB : (int) request.memoryMib();
    return new TaskSize(request, units, memory, 0, request.gpus(), false);
  }

  /** Whether the task gets more than the spec asked for. */
  boolean rounded() {
    return cpuUnits != unitsFor(requested.cpuMillis()) || memoryMib != requested.memoryMib();
  }

  /** ECS CPU units for millicores: 1000m is one vCPU is 1024 units; never rounded down. */
  static int unitsFor(long cpuMillis) {
    return (int) Math.ceil(cpuMillis * 1024.0 / 1000.0);
  }

  /** One line for logs and the handle, e.g. {@code requested 100m CPU / 64 MiB, rounded up...}. */
  String describe() {
    String asked = requested.cpuMillis() + "m CPU / " + requested.memoryMib() + " MiB";
    String got = cpuUnits + " CPU units / " + memoryMib + " MiB";
    String storage = ephemeralStorageGib > 0 ? ", " + ephemeralStorageGib + " GiB storage" : "";
    return (rounded()
            ? "requested " + asked + ", rounded up to " + (fargate ? "the Fargate size " : "") + got
            : "requested " + asked + ", task size " + got)
        + storage;
  }
}
