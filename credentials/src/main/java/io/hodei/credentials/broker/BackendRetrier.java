package io.hodei.credentials.broker;

import io.hodei.credentials.BackendException;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/** Calls a backend, retrying retryable failures with the policy's backoff; bounded. */
final class BackendRetrier {

  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  BackendRetrier(RetryPolicy policy, Sleeper sleeper, DoubleSupplier random) {
    this.policy = policy;
    this.sleeper = sleeper;
    this.random = random;
  }

  /**
   * The result of {@code call}; after the last attempt, the last failure with the attempt count
   * added to its message.
   */
  <T> T call(String what, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (BackendException e) {
        if (!e.retryable() || attempt >= policy.maxAttempts()) {
          if (attempt == 1) {
            throw e;
          }
          throw new BackendException(
              e.kind(), what + " failed after " + attempt + " attempts: " + e.getMessage(), e);
        }
        pause(what, policy.backoff(attempt, random), e);
      }
    }
  }

  private void pause(String what, Duration wait, BackendException cause) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new BackendException(
          cause.kind(), what + " interrupted while waiting to retry: " + cause.getMessage(), cause);
    }
  }
}
