package io.hodei.systemtests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server and its embedded PostgreSQL are killed together (SIGKILL) while jobs run, as when the
 * container holding both dies, and the server is started again on the same home and port: the
 * database recovers, and every job ends once, complete, with nothing left behind.
 */
class ServerAndDatabaseCrashIT {

  /**
   * The production default. A restart here takes 13 to 20 s, and the server counts its own downtime
   * against the agents' heartbeats while their gRPC channels back off, so an agent may be given up
   * as lost before it reconnects: the test allows that retry, as an infrastructure failure.
   */
  private static final String HEARTBEAT_TIMEOUT = "30s";

  private HodeiServer server;

  @BeforeEach
  void start() {
    server =
        HodeiServer.start(
            TestHomes.create("server-db-crash"),
            Timings.fastWith("hodei.controller.heartbeat-timeout", HEARTBEAT_TIMEOUT));
  }

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void runningJobsSurviveTheServerAndItsDatabaseBeingKilledAndEndExactlyOnceWithAllTheirLogs() {
    CrashRecovery.run(
        server, HodeiServer::killWithDatabase, CrashRecovery.Attempts.RETRIES_OF_LOST_WORKERS);
  }
}
