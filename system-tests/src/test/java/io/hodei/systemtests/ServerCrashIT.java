package io.hodei.systemtests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server process is killed (SIGKILL) while jobs run, its embedded database left as a crash
 * leaves it, and started again on the same home and port: the agents keep running their jobs,
 * reconnect, and every job ends once, complete, with nothing left behind.
 */
class ServerCrashIT {

  /**
   * Shorter than the outage a kill and restart cause on a small machine: after it starts, the
   * server gives agents one heartbeat timeout to reconnect before it judges any of them lost, so
   * the jobs still finish on their first attempt.
   */
  private static final String HEARTBEAT_TIMEOUT = "10s";

  private HodeiServer server;

  @BeforeEach
  void start() {
    server =
        HodeiServer.start(
            TestHomes.create("server-crash"),
            Timings.fastWith("hodei.controller.heartbeat-timeout", HEARTBEAT_TIMEOUT));
  }

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void runningJobsSurviveAServerKillAndEndExactlyOnceWithAllTheirLogs() {
    CrashRecovery.run(server, HodeiServer::kill, CrashRecovery.Attempts.FIRST_ONLY);
  }
}
