package io.hodei.server.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hodei.core.FieldProblem;
import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.LabelQuota;
import io.hodei.core.governance.snapshot.TenantQuota;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tenant quota as the API and the configuration give it: caps over all pools (null or absent is
 * not capped), a fair-share weight, and caps over the pools carrying some labels.
 *
 * @param cpuMillis CPU in millicores
 * @param memoryMib memory in MiB
 * @param gpus GPUs
 * @param workers workers
 * @param jobs running jobs
 * @param weight fair-share weight; default 1
 * @param perLabel caps over the pools that carry every label of a selector
 */
public record QuotaSpec(
    Long cpuMillis,
    Long memoryMib,
    Long gpus,
    Long workers,
    Long jobs,
    Double weight,
    List<LabelLimits> perLabel) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Caps over the pools carrying all labels of {@code selector}. */
  public record LabelLimits(
      Map<String, String> selector,
      Long cpuMillis,
      Long memoryMib,
      Long gpus,
      Long workers,
      Long jobs) {}

  /** Every problem of this quota, named by field. */
  public List<FieldProblem> problems() {
    List<FieldProblem> problems = new ArrayList<>();
    checkLimits("", cpuMillis, memoryMib, gpus, workers, jobs, problems);
    if (weight != null && !(weight > 0 && weight <= 1000)) {
      problems.add(new FieldProblem("weight", "must be more than 0 and at most 1000"));
    }
    if (perLabel != null) {
      for (int i = 0; i < perLabel.size(); i++) {
        LabelLimits limits = perLabel.get(i);
        String prefix = "perLabel[" + i + "]";
        if (limits == null || limits.selector() == null || limits.selector().isEmpty()) {
          problems.add(new FieldProblem(prefix + ".selector", "must name at least one label"));
          continue;
        }
        limits
            .selector()
            .forEach(
                (key, value) -> {
                  if (key.isBlank() || value == null || value.isBlank()) {
                    problems.add(
                        new FieldProblem(
                            prefix + ".selector." + key, "labels need a key and a value"));
                  }
                });
        checkLimits(
            prefix + ".",
            limits.cpuMillis(),
            limits.memoryMib(),
            limits.gpus(),
            limits.workers(),
            limits.jobs(),
            problems);
      }
    }
    return problems;
  }

  private static void checkLimits(
      String prefix,
      Long cpu,
      Long memory,
      Long gpus,
      Long workers,
      Long jobs,
      List<FieldProblem> problems) {
    Map<String, Long> values = new java.util.LinkedHashMap<>();
    values.put("cpuMillis", cpu);
    values.put("memoryMib", memory);
    values.put("gpus", gpus);
    values.put("workers", workers);
    values.put("jobs", jobs);
    values.forEach(
        (field, value) -> {
          if (value != null && value < 0) {
            problems.add(new FieldProblem(prefix + field, "cannot be negative"));
          }
        });
  }

  /** Copies this quota into {@code entity}. */
  public void applyTo(TenantQuotaEntity entity) {
    entity.cpuMillis = cpuMillis;
    entity.memoryMib = memoryMib;
    entity.gpus = gpus;
    entity.workers = workers;
    entity.jobs = jobs;
    entity.weight = weight == null ? 1 : weight;
    try {
      entity.perLabel = JSON.writeValueAsString(perLabel == null ? List.of() : perLabel);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a quota as JSON", e);
    }
  }

  /** The quota stored in {@code entity}. */
  public static QuotaSpec of(TenantQuotaEntity entity) {
    try {
      List<LabelLimits> labels =
          JSON.readValue(entity.perLabel, new TypeReference<List<LabelLimits>>() {});
      return new QuotaSpec(
          entity.cpuMillis,
          entity.memoryMib,
          entity.gpus,
          entity.workers,
          entity.jobs,
          entity.weight,
          labels);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored quota of tenant " + entity.tenant + " is unreadable");
    }
  }

  /** The quota as the resource controller reads it. */
  public TenantQuota toQuota(String tenant) {
    List<LabelQuota> labels =
        perLabel == null
            ? List.of()
            : perLabel.stream()
                .map(
                    l ->
                        new LabelQuota(
                            l.selector(),
                            amounts(l.cpuMillis(), l.memoryMib(), l.gpus(), l.workers(), l.jobs())))
                .toList();
    return new TenantQuota(
        tenant,
        amounts(cpuMillis, memoryMib, gpus, workers, jobs),
        labels,
        weight == null ? 1 : weight);
  }

  /** Limits where null is not capped. */
  public static Amounts amounts(Long cpu, Long memory, Long gpus, Long workers, Long jobs) {
    return new Amounts(cap(cpu), cap(memory), cap(gpus), cap(workers), cap(jobs));
  }

  private static long cap(Long value) {
    return value == null ? Amounts.UNLIMITED : value;
  }
}
