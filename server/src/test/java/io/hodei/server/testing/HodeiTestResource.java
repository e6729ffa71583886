package io.hodei.server.testing;

import io.hodei.server.database.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives {@code @QuarkusTest}s what the server's main gives a real start: a throwaway Hodei home and
 * a real embedded PostgreSQL in it, started once per test JVM and shared by every test class.
 */
public class HodeiTestResource implements QuarkusTestResourceLifecycleManager {

  private static Path home;

  /** The Hodei home the server under test uses. */
  public static synchronized Path home() {
    if (home == null) {
      try {
        home = Files.createTempDirectory("hodei-test-home");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return home;
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config =
        new HashMap<>(EmbeddedDatabase.start(home().resolve("postgres"), 0));
    config.put("hodei.home", home().toString());
    // Tight timings, so that deadlines and losses show within a test's patience.
    config.put("hodei.controller.resync-interval", "1s");
    config.put("hodei.controller.heartbeat-interval", "1s");
    config.put("hodei.controller.heartbeat-timeout", "6s");
    config.put("hodei.controller.cancel-grace", "3s");
    config.put("hodei.controller.orphan-sweep-interval", "5s");
    config.put("hodei.providers.refresh-interval", "1s");
    // Within the tests' short provider-call timeout, even when an agent ignores SIGTERM.
    config.put("hodei.provider-instances.local.config.terminationGrace", "1s");
    return config;
  }

  @Override
  public void stop() {
    // The database is shared by all test classes of the JVM; its shutdown hook stops it.
  }
}
