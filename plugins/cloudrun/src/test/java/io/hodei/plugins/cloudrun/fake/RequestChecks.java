package io.hodei.plugins.cloudrun.fake;

import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.TaskTemplate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks Cloud Run makes on what it is sent, as its API reference documents them: resource ids,
 * label syntax, container limits, reserved environment variables. A request that breaks one is
 * answered {@code 400 INVALID_ARGUMENT}, as the real service does.
 */
final class RequestChecks {

  private static final Pattern JOB_ID = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9_-]{0,63}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern MEMORY = Pattern.compile("(\\d+)(Mi|Gi)");
  private static final Set<String> CPUS = Set.of("1", "2", "4", "6", "8");
  private static final Set<String> RESERVED_ENV =
      Set.of(
          "CLOUD_RUN_JOB",
          "CLOUD_RUN_EXECUTION",
          "CLOUD_RUN_TASK_INDEX",
          "CLOUD_RUN_TASK_ATTEMPT",
          "CLOUD_RUN_TASK_COUNT");
  private static final List<String> RESERVED_LABEL_PREFIXES =
      List.of("run.googleapis.com", "cloud.googleapis.com", "serving.knative.dev");

  private RequestChecks() {}

  static void createJob(String jobId, Job job) {
    if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
      throw ApiError.invalid(
          "job_id must start with a letter, contain only lowercase letters, digits and hyphens,"
              + " end with a letter or digit, and have at most 63 characters: "
              + jobId);
    }
    if (!job.getName().isEmpty()) {
      throw ApiError.invalid("job.name must be empty: the name comes from job_id");
    }
    labels("job.labels", job.getLabelsMap());
    labels("job.template.labels", job.getTemplate().getLabelsMap());
    if (job.getTemplate().getTaskCount() < 0 || job.getTemplate().getParallelism() < 0) {
      throw ApiError.invalid("job.template.task_count and parallelism must not be negative");
    }
    task(job.getTemplate().getTemplate());
  }

  static void runJob(RunJobRequest.Overrides overrides) {
    if (overrides.getTaskCount() < 0) {
      throw ApiError.invalid("overrides.task_count must not be negative");
    }
    if (overrides.hasTimeout() && overrides.getTimeout().getSeconds() > 7 * 24 * 3600) {
      throw ApiError.invalid("overrides.timeout must be at most 168h");
    }
    for (RunJobRequest.Overrides.ContainerOverride container :
        overrides.getContainerOverridesList()) {
      env("overrides.container_overrides.env", container.getEnvList());
    }
  }

  private static void task(TaskTemplate task) {
    if (task.getContainersCount() < 1 || task.getContainersCount() > 10) {
      throw ApiError.invalid("job.template.template.containers must hold 1 to 10 containers");
    }
    if (task.getMaxRetries() < 0 || task.getMaxRetries() > 10) {
      throw ApiError.invalid("job.template.template.max_retries must be between 0 and 10");
    }
    Set<String> names = new HashSet<>();
    for (Container container : task.getContainersList()) {
      if (container.getImage().isBlank()) {
        throw ApiError.invalid("job.template.template.containers.image is required");
      }
      if (!names.add(container.getName())) {
        throw ApiError.invalid("container names must be unique: " + container.getName());
      }
      Map<String, String> limits = container.getResources().getLimitsMap();
      String cpu = limits.get("cpu");
      if (cpu != null && !CPUS.contains(cpu)) {
        throw ApiError.invalid("cpu limit must be one of " + CPUS + " for jobs, got " + cpu);
      }
      String memory = limits.get("memory");
      if (memory != null) {
        var match = MEMORY.matcher(memory);
        long mib =
            !match.matches()
                ? -1
                : Long.parseLong(match.group(1)) * (match.group(2).equals("Gi") ? 1024 : 1);
        if (mib < 512 || mib > 32 * 1024) {
          throw ApiError.invalid("memory limit must be between 512Mi and 32Gi, got " + memory);
        }
      }
      env("job.template.template.containers.env", container.getEnvList());
    }
  }

  private static void env(String field, List<EnvVar> env) {
    for (EnvVar var : env) {
      if (!ENV_NAME.matcher(var.getName()).matches() || RESERVED_ENV.contains(var.getName())) {
        throw ApiError.invalid(
            field + ": invalid or reserved environment variable name " + var.getName());
      }
      if (var.getValue().length() > 32 * 1024) {
        throw ApiError.invalid(field + ": value of " + var.getName() + " exceeds 32 KiB");
      }
    }
  }

  private static void labels(String field, Map<String, String> labels) {
    if (labels.size() > 64) {
      throw ApiError.invalid(field + ": at most 64 labels");
    }
    labels.forEach(
        (key, value) -> {
          if (RESERVED_LABEL_PREFIXES.stream().anyMatch(key::startsWith)) {
            throw ApiError.invalid(field + ": the key " + key + " is reserved");
          }
          if (!LABEL_KEY.matcher(key).matches() || !LABEL_VALUE.matcher(value).matches()) {
            throw ApiError.invalid(
                field
                    + ": label keys and values may hold only lowercase letters, digits, '_' and"
                    + " '-' (keys start with a letter), at most 63 characters: "
                    + key
                    + "="
                    + value);
          }
        });
  }
}
