package io.hodei.plugins.aci;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults {@link FakeArm} injects into matching requests, each for a number of requests: error
 * answers in Resource Manager's shape, throttling with {@code Retry-After}, slow answers and
 * dropped connections.
 */
public final class ArmFaults {

  /** Something done to one request; returns whether it answered it (or dropped it). */
  @FunctionalInterface
  interface Fault {
    boolean apply(HttpExchange exchange) throws IOException;
  }

  private record Rule(String method, String pathPart, Fault fault, AtomicInteger remaining) {}

  private final List<Rule> rules = new CopyOnWriteArrayList<>();

  /** Answers the next {@code times} matching requests with an error body. */
  public ArmFaults error(
      int times,
      String method,
      String pathPart,
      int status,
      String code,
      Map<String, String> headers) {
    return add(
        times,
        method,
        pathPart,
        exchange -> {
          headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          FakeArm.error(exchange, status, code, "Injected failure " + code + ".");
          return true;
        });
  }

  /** Throttles the next {@code times} matching requests: 429 with {@code Retry-After}. */
  public ArmFaults throttle(int times, String method, String pathPart, int retryAfterSeconds) {
    return error(
        times,
        method,
        pathPart,
        429,
        "TooManyRequests",
        Map.of(
            "Retry-After",
            String.valueOf(retryAfterSeconds),
            "x-ms-ratelimit-remaining-subscription-reads",
            "0"));
  }

  /** Delays the next {@code times} matching answers by {@code delay}, then answers normally. */
  public ArmFaults delay(int times, String method, String pathPart, Duration delay) {
    return add(
        times,
        method,
        pathPart,
        exchange -> {
          try {
            Thread.sleep(delay.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
          }
          return false;
        });
  }

  /** Closes the connection of the next {@code times} matching requests without an answer. */
  public ArmFaults reset(int times, String method, String pathPart) {
    return add(
        times,
        method,
        pathPart,
        exchange -> {
          // No status line at all: the client sees the connection end mid-request.
          exchange.close();
          return true;
        });
  }

  /** Removes every fault not yet used up. */
  public void clear() {
    rules.clear();
  }

  private ArmFaults add(int times, String method, String pathPart, Fault fault) {
    rules.add(new Rule(method, pathPart, fault, new AtomicInteger(times)));
    return this;
  }

  Optional<Fault> take(String method, String path) {
    for (Rule rule : rules) {
      if (rule.method().equals(method)
          && path.contains(rule.pathPart())
          && rule.remaining().getAndDecrement() > 0) {
        return Optional.of(rule.fault());
      }
    }
    return Optional.empty();
  }

  /** For a fault that lasts until cleared. */
  public static final int ALWAYS = Integer.MAX_VALUE;
}
