package io.hodei.plugins.cloudrun.fake;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A fault the fake injects into the next matching requests: an error answer (with {@code
 * Retry-After} for throttling), or a slow answer.
 */
public final class Fault {

  private final String method;
  private final Pattern path;
  private final AtomicInteger remaining;
  private final int httpStatus;
  private final String status;
  private final Integer retryAfterSeconds;
  private final Duration delay;

  private Fault(
      String method,
      String pathRegex,
      int times,
      int httpStatus,
      String status,
      Integer retryAfterSeconds,
      Duration delay) {
    this.method = method;
    this.path = Pattern.compile(pathRegex);
    this.remaining = new AtomicInteger(times);
    this.httpStatus = httpStatus;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.delay = delay;
  }

  /**
   * {@code 429 RESOURCE_EXHAUSTED} with {@code Retry-After}, as Cloud Run's rate limiter answers.
   */
  public static Fault throttle(String method, String pathRegex, int times, int retryAfterSeconds) {
    return new Fault(method, pathRegex, times, 429, "RESOURCE_EXHAUSTED", retryAfterSeconds, null);
  }

  /** An error answer such as {@code 503 UNAVAILABLE} or {@code 500 INTERNAL}. */
  public static Fault error(
      String method, String pathRegex, int times, int httpStatus, String status) {
    return new Fault(method, pathRegex, times, httpStatus, status, null, null);
  }

  /** The request is served, but only after {@code delay}. */
  public static Fault slow(String method, String pathRegex, int times, Duration delay) {
    return new Fault(method, pathRegex, times, 0, null, null, delay);
  }

  /** How many more requests it will hit. */
  public int remaining() {
    return Math.max(0, remaining.get());
  }

  boolean claim(String requestMethod, String requestPath) {
    if (!(method.equals("*") || method.equals(requestMethod))
        || !path.matcher(requestPath).matches()) {
      return false;
    }
    return remaining.getAndDecrement() > 0;
  }

  Duration delay() {
    return delay;
  }

  Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  ApiError error() {
    if (status == null) {
      return null;
    }
    String message =
        httpStatus == 429
            ? "Quota exceeded for quota metric 'Job run requests' and limit 'Job run requests per"
                + " minute per region' of service 'run.googleapis.com'."
            : "The service is currently unavailable.";
    return new ApiError(httpStatus, status, message);
  }
}
