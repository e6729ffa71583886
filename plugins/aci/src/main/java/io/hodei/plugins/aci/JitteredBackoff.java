package io.hodei.plugins.aci;

import com.azure.core.http.policy.RetryStrategy;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": the n-th retry waits half of {@code base * 2^n} (capped
 * at {@code max}) plus a random share of the other half, so that many workers throttled at once do
 * not retry in lockstep. A {@code Retry-After} header, when Resource Manager sends one, wins over
 * this delay (azure-core's {@code RetryPolicy} reads it first).
 */
final class JitteredBackoff implements RetryStrategy {

  private final int maxRetries;
  private final Duration base;
  private final Duration max;
  private final DoubleSupplier random;

  JitteredBackoff(int maxRetries, Duration base, Duration max) {
    this(maxRetries, base, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  JitteredBackoff(int maxRetries, Duration base, Duration max, DoubleSupplier random) {
    this.maxRetries = maxRetries;
    this.base = base;
    this.max = max;
    this.random = random;
  }

  @Override
  public int getMaxRetries() {
    return maxRetries;
  }

  @Override
  public Duration calculateRetryDelay(int retryAttempts) {
    long ceiling = max.toMillis();
    long exponential = base.toMillis() << Math.min(retryAttempts, 20);
    long capped = Math.min(exponential <= 0 ? ceiling : exponential, ceiling);
    long half = capped / 2;
    return Duration.ofMillis(half + (long) (random.getAsDouble() * (capped - half)));
  }

  @Override
  public boolean shouldRetryException(Throwable throwable) {
    // An interrupted call was abandoned by the host: stop rather than sleep and try again.
    for (Throwable t = throwable; t != null; t = t.getCause()) {
      // Exactly InterruptedIOException: its subclass SocketTimeoutException is worth a retry.
      if (t instanceof InterruptedException || t.getClass() == InterruptedIOException.class) {
        return false;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return !Thread.currentThread().isInterrupted() && throwable instanceof Exception;
  }
}
