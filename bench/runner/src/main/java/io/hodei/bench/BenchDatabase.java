package io.hodei.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The benchmark's own PostgreSQL, which the server under test uses as an external database, so that
 * the benchmark can read the database's transaction counters and the jobs' recorded times. Every
 * statement the benchmark itself runs is counted, so its own transactions can be taken out of the
 * server's.
 */
final class BenchDatabase implements AutoCloseable {

  static final String FINAL_STATES = "('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')";

  private final EmbeddedPostgres postgres;
  private final Connection connection;
  private long ownStatements;

  /** The database's counters at one moment. */
  record Counters(long commits, long nextXid, long ownStatements) {}

  /**
   * A job's end as the server recorded it.
   *
   * @param state the final state
   * @param attempt the attempt that ended
   * @param workerId the worker of that attempt
   * @param placedAt when the last placement pass that gave it a worker started
   * @param at when it reached the final state
   */
  record Final(String state, int attempt, UUID workerId, Instant placedAt, Instant at) {}

  private BenchDatabase(EmbeddedPostgres postgres, Connection connection) {
    this.postgres = postgres;
    this.connection = connection;
  }

  /**
   * Starts a fresh database.
   *
   * @param settings extra PostgreSQL settings, e.g. {@code synchronous_commit=off} to see what
   *     commit latency costs
   */
  static BenchDatabase start(Path dataDirectory, List<String> settings)
      throws IOException, SQLException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(true)
            // The server's pools plus the benchmark's own connection, with room to spare.
            .setServerConfig("max_connections", "200")
            // Per-statement times, to show where the database's share of the time goes.
            .setServerConfig("shared_preload_libraries", "pg_stat_statements");
    for (String setting : settings) {
      int equals = setting.indexOf('=');
      builder.setServerConfig(setting.substring(0, equals), setting.substring(equals + 1));
    }
    EmbeddedPostgres postgres = builder.start();
    Connection connection = postgres.getPostgresDatabase().getConnection();
    connection.setAutoCommit(true);
    try (Statement statement = connection.createStatement()) {
      statement.execute("create extension if not exists pg_stat_statements");
    }
    return new BenchDatabase(postgres, connection);
  }

  /** Forgets the statement statistics gathered so far. */
  synchronized void resetStatements() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("select pg_stat_statements_reset()");
      ownStatements++;
    }
  }

  /** The statements with the most execution time since the last reset, as printable lines. */
  synchronized List<String> topStatements(int limit) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "select calls, total_exec_time, mean_exec_time, regexp_replace(query, '\\s+', ' ',"
                + " 'g') from pg_stat_statements where query not like '%pg_stat%' order by"
                + " total_exec_time desc limit ?")) {
      query.setInt(1, limit);
      ownStatements++;
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          String text = rows.getString(4);
          lines.add(
              String.format(
                  java.util.Locale.ROOT,
                  "%8d calls %9.1f ms total %7.3f ms mean  %s",
                  rows.getLong(1),
                  rows.getDouble(2),
                  rows.getDouble(3),
                  text.length() > 110 ? text.substring(0, 110) + "..." : text));
        }
      }
    }
    return lines;
  }

  int port() {
    return postgres.getPort();
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/postgres";
  }

  /**
   * Reads the committed-transaction counter and the next transaction id. The counter lags: each
   * backend publishes its statistics when idle, at most every second and at the latest ten seconds
   * after its last change; callers wait for that before trusting a difference. Transaction ids are
   * exact but count only transactions that wrote.
   */
  synchronized Counters counters() throws SQLException {
    long before = ownStatements;
    try (Statement statement = connection.createStatement()) {
      // Publishes this connection's own pending statistics when it next goes idle.
      statement.execute("select pg_stat_force_next_flush()");
      ownStatements++;
      try (ResultSet rows =
          statement.executeQuery(
              "select (select xact_commit from pg_stat_database where datname ="
                  + " current_database()), pg_snapshot_xmax(pg_current_snapshot())::text::bigint")) {
        ownStatements++;
        rows.next();
        return new Counters(rows.getLong(1), rows.getLong(2), before);
      }
    }
  }

  /**
   * Times {@code count} trivial queries from this process: the machine's floor for one database
   * round trip, which every sequential statement of the server pays at least once. On a loaded host
   * it grows with the CPU run queue, and so does everything else measured here.
   */
  synchronized Percentiles roundTrips(int count) throws SQLException {
    List<Duration> samples = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement("select 1")) {
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        try (ResultSet rows = query.executeQuery()) {
          rows.next();
        }
        ownStatements++;
        samples.add(Duration.ofNanos(System.nanoTime() - start));
      }
    }
    return Percentiles.of(samples);
  }

  /** How many of the given jobs have not reached a final state. */
  synchronized int unfinished(Collection<UUID> jobIds) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "select count(*) from jobs where id = any(?) and state not in " + FINAL_STATES)) {
      query.setArray(1, uuids(jobIds));
      ownStatements++;
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /** The final state, worker and time of each given job that has ended. */
  synchronized Map<UUID, Final> finals(Collection<UUID> jobIds) throws SQLException {
    Map<UUID, Final> finals = new HashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "select j.id, j.state, j.attempt, j.worker_id,"
                + " max(e.at) filter (where e.to_state = 'PROVISIONING'),"
                + " max(e.at) filter (where e.to_state = j.state)"
                + " from jobs j join job_events e on e.job_id = j.id"
                + " where j.id = any(?) and j.state in "
                + FINAL_STATES
                + " group by j.id, j.state, j.attempt, j.worker_id")) {
      query.setArray(1, uuids(jobIds));
      ownStatements++;
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          finals.put(
              rows.getObject(1, UUID.class),
              new Final(
                  rows.getString(2),
                  rows.getInt(3),
                  rows.getObject(4, UUID.class),
                  rows.getTimestamp(5) == null ? null : rows.getTimestamp(5).toInstant(),
                  rows.getTimestamp(6).toInstant()));
        }
      }
    }
    return finals;
  }

  /**
   * The placement passes that gave the given jobs their workers: a pass stamps every job it places
   * with the same time, so jobs grouped by that time are one pass. Returns pass start times and how
   * many of the jobs each placed, in order.
   */
  synchronized Map<Instant, Integer> placementPasses(Collection<UUID> jobIds) throws SQLException {
    Map<Instant, Integer> passes = new java.util.TreeMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "select at, count(*) from job_events where to_state = 'PROVISIONING' and job_id ="
                + " any(?) group by at")) {
      query.setArray(1, uuids(jobIds));
      ownStatements++;
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          passes.put(rows.getTimestamp(1).toInstant(), rows.getInt(2));
        }
      }
    }
    return passes;
  }

  private Array uuids(Collection<UUID> jobIds) throws SQLException {
    return connection.createArrayOf("uuid", jobIds.toArray());
  }

  @Override
  public void close() throws IOException, SQLException {
    try {
      connection.close();
    } finally {
      postgres.close();
    }
  }
}
