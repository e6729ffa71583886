package io.hodei.server.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hodei.core.FieldProblem;
import io.hodei.core.governance.snapshot.PoolState;
import io.hodei.server.api.ApiException;
import io.hodei.server.governance.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The changes of {@code PATCH /api/v1/pools/{name}}, validated as a whole before any is applied. A
 * field left out is unchanged; JSON null on a capacity removes that cap.
 */
final class PoolPatch {

  private static final List<String> FIELDS =
      List.of(
          "maxWorkers",
          "maxJobsPerWorker",
          "idleTimeoutSeconds",
          "provisioningTimeoutSeconds",
          "labels",
          "cpuMillis",
          "memoryMib",
          "gpus",
          "ratePerWorkerHour",
          "ratePerVcpuHour",
          "ratePerGibHour",
          "priority",
          "state");

  private final List<Consumer<PoolEntity>> changes;

  private PoolPatch(List<Consumer<PoolEntity>> changes) {
    this.changes = changes;
  }

  static PoolPatch parse(ObjectNode body) {
    List<FieldProblem> problems = new ArrayList<>();
    List<Consumer<PoolEntity>> changes = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      switch (name) {
        case "maxWorkers" -> {
          Integer v = positiveInt(name, value, problems);
          if (v != null) {
            changes.add(pool -> pool.maxWorkers = v);
          }
        }
        case "maxJobsPerWorker" -> {
          Integer v = positiveInt(name, value, problems);
          if (v != null) {
            changes.add(pool -> pool.maxJobsPerWorker = v);
          }
        }
        case "idleTimeoutSeconds" -> {
          Integer v = positiveInt(name, value, problems);
          if (v != null) {
            changes.add(pool -> pool.idleTimeoutMillis = v * 1000L);
          }
        }
        case "provisioningTimeoutSeconds" -> {
          Integer v = positiveInt(name, value, problems);
          if (v != null) {
            changes.add(pool -> pool.provisioningTimeoutMillis = v * 1000L);
          }
        }
        case "labels" -> labels(value, problems, changes);
        case "cpuMillis" -> {
          capacity(name, value, problems)
              .ifPresent(v -> changes.add(pool -> pool.cpuMillis = v.cap));
        }
        case "memoryMib" -> {
          capacity(name, value, problems)
              .ifPresent(v -> changes.add(pool -> pool.memoryMib = v.cap));
        }
        case "gpus" -> {
          capacity(name, value, problems).ifPresent(v -> changes.add(pool -> pool.gpus = v.cap));
        }
        case "ratePerWorkerHour" -> {
          Double v = rate(name, value, problems);
          if (v != null) {
            changes.add(pool -> pool.ratePerWorkerHour = v);
          }
        }
        case "ratePerVcpuHour" -> {
          Double v = rate(name, value, problems);
          if (v != null) {
            changes.add(pool -> pool.ratePerVcpuHour = v);
          }
        }
        case "ratePerGibHour" -> {
          Double v = rate(name, value, problems);
          if (v != null) {
            changes.add(pool -> pool.ratePerGibHour = v);
          }
        }
        case "priority" -> {
          if (!value.isInt() || Math.abs(value.intValue()) > 1_000_000) {
            problems.add(new FieldProblem(name, "must be a whole number from -1000000 to 1000000"));
          } else {
            int v = value.intValue();
            changes.add(pool -> pool.priority = v);
          }
        }
        case "state" -> {
          PoolState state = state(value);
          if (state == null) {
            problems.add(
                new FieldProblem(name, "must be one of " + Arrays.toString(PoolState.values())));
          } else {
            changes.add(pool -> pool.state = state);
          }
        }
        default ->
            problems.add(
                new FieldProblem(name, "is not a field of a pool that can change; use " + FIELDS));
      }
    }
    if (!problems.isEmpty()) {
      throw ApiException.badRequest("the pool changes are invalid", problems);
    }
    return new PoolPatch(changes);
  }

  void applyTo(PoolEntity pool) {
    changes.forEach(change -> change.accept(pool));
  }

  private record Cap(Long cap) {}

  private static java.util.Optional<Cap> capacity(
      String name, JsonNode value, List<FieldProblem> problems) {
    if (value.isNull()) {
      return java.util.Optional.of(new Cap(null));
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber() || value.longValue() < 0) {
      problems.add(
          new FieldProblem(name, "must be a whole number of at least 0, or null for no cap"));
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Cap(value.longValue()));
  }

  private static Integer positiveInt(String name, JsonNode value, List<FieldProblem> problems) {
    if (!value.isInt() || value.intValue() < 1) {
      problems.add(new FieldProblem(name, "must be a whole number of at least 1"));
      return null;
    }
    return value.intValue();
  }

  private static Double rate(String name, JsonNode value, List<FieldProblem> problems) {
    if (!value.isNumber()
        || !(value.doubleValue() >= 0)
        || Double.isInfinite(value.doubleValue())) {
      problems.add(new FieldProblem(name, "must be a number of at least 0"));
      return null;
    }
    return value.doubleValue();
  }

  private static PoolState state(JsonNode value) {
    if (!value.isTextual()) {
      return null;
    }
    try {
      return PoolState.valueOf(value.textValue());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void labels(
      JsonNode value, List<FieldProblem> problems, List<Consumer<PoolEntity>> changes) {
    if (value.isNull()) {
      changes.add(pool -> pool.labels = Labels.write(Map.of()));
      return;
    }
    if (!value.isObject()) {
      problems.add(new FieldProblem("labels", "must be an object of label names to values"));
      return;
    }
    Map<String, String> labels = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      if (!PoolLabels.validKey(entry.getKey())
          || !entry.getValue().isTextual()
          || !PoolLabels.validValue(entry.getValue().textValue())) {
        problems.add(new FieldProblem("labels." + entry.getKey(), PoolLabels.RULE));
      } else {
        labels.put(entry.getKey(), entry.getValue().textValue());
      }
    }
    changes.add(pool -> pool.labels = Labels.write(labels));
  }
}
