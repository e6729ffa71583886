package io.hodei.plugins.kubernetes;

import io.hodei.plugin.api.ProviderException;
import java.util.Locale;

/** What Kubernetes object a worker is: a {@code batch/v1} Job (the default) or a bare Pod. */
public enum WorkloadKind {
  /** A Job with one pod, no retries, and a TTL so Kubernetes cleans up even while Hodei is down. */
  JOB("job"),
  /** A bare Pod: fewer objects and no job controller, but nothing cleans it up but Hodei. */
  POD("pod");

  private final String label;

  WorkloadKind(String label) {
    this.label = label;
  }

  /** The value of the {@code hodei.io/kind} label on the workload and its pods. */
  public String label() {
    return label;
  }

  static WorkloadKind parse(String instanceName, String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "job" -> JOB;
      case "pod" -> POD;
      default ->
          throw new ProviderException(
              ProviderException.ErrorCode.INVALID_CONFIGURATION,
              "provider instance '"
                  + instanceName
                  + "': setting 'workloadKind' must be Job or Pod, got '"
                  + text
                  + "'");
    };
  }

  static WorkloadKind ofLabel(String label) {
    return POD.label.equals(label) ? POD : JOB;
  }
}
