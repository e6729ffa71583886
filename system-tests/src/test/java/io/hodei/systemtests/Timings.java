package io.hodei.systemtests;

import java.util.HashMap;
import java.util.Map;

/**
 * Server settings that make the controller react in seconds instead of the production defaults, so
 * fault tests finish quickly. Each is a real setting an operator could use.
 */
public final class Timings {

  private Timings() {}

  /** Resync and heartbeat every second, LOST after 8 s, orphan sweeps every 5 s. */
  public static Map<String, String> fast() {
    return Map.of(
        "hodei.controller.resync-interval", "1s",
        "hodei.controller.heartbeat-interval", "1s",
        "hodei.controller.heartbeat-timeout", "8s",
        "hodei.controller.orphan-sweep-interval", "5s",
        "hodei.providers.refresh-interval", "1s",
        "hodei.controller.cancel-grace", "3s");
  }

  /** {@link #fast()} with one setting changed. */
  public static Map<String, String> fastWith(String key, String value) {
    Map<String, String> settings = new HashMap<>(fast());
    settings.put(key, value);
    return Map.copyOf(settings);
  }
}
