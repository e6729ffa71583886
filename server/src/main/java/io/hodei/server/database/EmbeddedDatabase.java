package io.hodei.server.database;

import io.hodei.server.home.HodeiHome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Runs a real PostgreSQL from the Hodei home when no external database is configured, so a newcomer
 * gets durable state with nothing installed.
 */
public final class EmbeddedDatabase {

  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
  private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
  private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";

  private static EmbeddedPostgres running;

  private EmbeddedDatabase() {}

  /**
   * Starts the embedded database under {@code <home>/postgres} unless {@code
   * quarkus.datasource.jdbc.url} is given as a system property or environment variable. Either way
   * it makes sure the reactive URL matches the JDBC one.
   */
  public static synchronized void startUnlessConfigured(HodeiHome home) {
    String external = setting(JDBC_URL);
    if (external != null) {
      deriveReactiveUrl(external);
      LOG.infof("Using the configured database %s", withoutCredentials(external));
      return;
    }
    Path dataDirectory = home.resolve("postgres");
    Map<String, String> settings = start(dataDirectory, 0);
    settings.forEach(System::setProperty);
    LOG.infof("Started the embedded PostgreSQL in %s", dataDirectory);
  }

  /**
   * Starts (or reuses, within this JVM) an embedded PostgreSQL with its data in {@code
   * dataDirectory}, and returns the Quarkus datasource settings that point at it.
   *
   * @param port a fixed port, or 0 for any free one
   */
  public static synchronized Map<String, String> start(Path dataDirectory, int port) {
    if (running == null) {
      try {
        Files.createDirectories(dataDirectory);
        HodeiHome.ownerOnly(dataDirectory);
        reclaimFromEarlierRun(dataDirectory);
        EmbeddedPostgres.Builder builder =
            EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                // Keep the data: a restart of Hodei must find its jobs again.
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "200")
                // After a crash PostgreSQL replays its log first; a busy small machine needs time.
                .setPGStartupWait(Duration.ofSeconds(90));
        if (port > 0) {
          builder.setPort(port);
        }
        running = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabase::stop, "embedded-pg"));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot start the embedded PostgreSQL in "
                + dataDirectory
                + "; set quarkus.datasource.jdbc.url to use an external database",
            e);
      }
    }
    int actualPort = running.getPort();
    return Map.of(
        JDBC_URL,
        "jdbc:postgresql://localhost:" + actualPort + "/postgres",
        REACTIVE_URL,
        "postgresql://localhost:" + actualPort + "/postgres",
        "quarkus.datasource.username",
        "postgres",
        "quarkus.datasource.password",
        "postgres");
  }

  /**
   * A server killed outright (SIGKILL, OOM killer) cannot stop its PostgreSQL, which runs detached
   * and keeps the data directory locked. Its clients are gone with the server, so it is stopped
   * here; PostgreSQL itself recovers whatever it had not checkpointed.
   */
  static void reclaimFromEarlierRun(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (RuntimeException e) {
      return; // Unreadable: PostgreSQL judges it stale by itself.
    }
    Optional<ProcessHandle> postmaster =
        ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    if (postmaster.isEmpty()) {
      return;
    }
    LOG.warnf(
        "The embedded PostgreSQL of an earlier run (pid %d) still holds %s; stopping it",
        pid, dataDirectory);
    postmaster.get().destroy();
    if (!awaitExit(postmaster.get(), Duration.ofSeconds(30))) {
      postmaster.get().destroyForcibly();
      awaitExit(postmaster.get(), Duration.ofSeconds(10));
    }
  }

  private static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    }
  }

  public static synchronized void stop() {
    if (running != null) {
      try {
        running.close();
      } catch (IOException e) {
        LOG.warn("The embedded PostgreSQL did not stop cleanly", e);
      }
      running = null;
    }
  }

  private static void deriveReactiveUrl(String jdbcUrl) {
    if (setting(REACTIVE_URL) == null && jdbcUrl.startsWith("jdbc:")) {
      System.setProperty(REACTIVE_URL, jdbcUrl.substring("jdbc:".length()));
    }
  }

  /**
   * A setting as Quarkus will see it from where users put one: a system property, an environment
   * variable, or {@code config/application.properties} in the working directory. Read here because
   * the database must be chosen before Quarkus reads its configuration.
   */
  private static String setting(String key) {
    String value = System.getProperty(key);
    if (value == null || value.isBlank()) {
      value = System.getenv(key.toUpperCase().replace('.', '_').replace('-', '_'));
    }
    if (value == null || value.isBlank()) {
      value = externalConfig().getProperty(key);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Properties externalConfig() {
    Properties properties = new Properties();
    Path file = Path.of("config", "application.properties");
    if (Files.isRegularFile(file)) {
      try (Reader reader = Files.newBufferedReader(file)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
      }
    }
    return properties;
  }

  private static String withoutCredentials(String url) {
    return url.replaceAll("password=[^&]*", "password=***");
  }
}
