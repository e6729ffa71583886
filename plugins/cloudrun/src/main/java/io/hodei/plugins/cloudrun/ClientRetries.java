package io.hodei.plugins.cloudrun;

import com.google.api.gax.longrunning.OperationTimedPollAlgorithm;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import java.time.Duration;
import java.util.Set;

/**
 * The retry and polling policies given to the Cloud Run client, which by default retries nothing.
 */
final class ClientRetries {

  /**
   * Codes worth another attempt of a call that is safe to repeat: throttling (HTTP 429), server
   * errors (500, 503) and timeouts (504, no answer).
   */
  static final Set<StatusCode.Code> IDEMPOTENT =
      Set.of(
          StatusCode.Code.RESOURCE_EXHAUSTED,
          StatusCode.Code.UNAVAILABLE,
          StatusCode.Code.INTERNAL,
          StatusCode.Code.DEADLINE_EXCEEDED);

  /**
   * Codes worth another attempt of RunJob, which starts a worker each time it gets through: only
   * answers that say the request was turned away before anything started.
   */
  static final Set<StatusCode.Code> RUN =
      Set.of(StatusCode.Code.RESOURCE_EXHAUSTED, StatusCode.Code.UNAVAILABLE);

  private ClientRetries() {}

  /** Exponential backoff (doubling) with jitter, bounded by attempts and total time. */
  static RetrySettings calls(CloudRunSettings.Retry retry) {
    return RetrySettings.newBuilder()
        .setInitialRetryDelayDuration(retry.initialDelay())
        .setRetryDelayMultiplier(2.0)
        .setMaxRetryDelayDuration(retry.maxDelay())
        .setInitialRpcTimeoutDuration(retry.requestTimeout())
        .setRpcTimeoutMultiplier(1.0)
        .setMaxRpcTimeoutDuration(retry.requestTimeout())
        .setMaxAttempts(retry.maxAttempts())
        .setTotalTimeoutDuration(retry.totalTimeout())
        .build();
  }

  /** How often a long-running operation is polled, and for how long at most. */
  static OperationTimedPollAlgorithm polling(Duration interval, Duration timeout) {
    return OperationTimedPollAlgorithm.create(
        RetrySettings.newBuilder()
            .setInitialRetryDelayDuration(interval)
            .setRetryDelayMultiplier(1.5)
            .setMaxRetryDelayDuration(interval.multipliedBy(5))
            .setInitialRpcTimeoutDuration(Duration.ZERO)
            .setRpcTimeoutMultiplier(1.0)
            .setMaxRpcTimeoutDuration(Duration.ZERO)
            .setTotalTimeoutDuration(timeout)
            .build());
  }
}
