package io.hodei.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Following a job's log: a job the caller cannot see is a 404 before any stream starts, with or
 * without a trailing slash, and the server logs no failed stream for it.
 */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class FollowLogsTest {

  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(String.valueOf(record.getMessage()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureServerLog() {
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    Logger.getLogger("").removeHandler(capture);
  }

  @Test
  void followingAMissingJobIsA404WithTheErrorBodyWithOrWithoutATrailingSlash() {
    String id = UUID.randomUUID().toString();
    for (String path : List.of("/logs", "/logs/")) {
      for (String follow : List.of("true", "false")) {
        Api.asAdmin()
            .queryParam("follow", follow)
            .get("/api/v1/jobs/" + id + path)
            .then()
            .statusCode(404)
            .contentType(startsWith("application/json"))
            .body("error", equalTo("no job " + id));
      }
    }
    Api.asAdmin()
        .queryParam("follow", "true")
        .get("/api/v1/jobs/not-a-uuid/logs")
        .then()
        .statusCode(404)
        .body("error", equalTo("no job not-a-uuid"));
    assertThat(logged).noneMatch(message -> message.contains("SSE"));
  }

  @Test
  void followingAVisibleJobStreamsItsLinesWithOrWithoutATrailingSlash() {
    String id = Jobs.submit(Map.of("name", "followed", "command", "echo followed-line"));
    Jobs.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
    for (String path : List.of("/logs", "/logs/")) {
      String stream =
          Api.asAdmin()
              .queryParam("follow", "true")
              .get("/api/v1/jobs/" + id + path)
              .then()
              .statusCode(200)
              .contentType(startsWith("text/event-stream"))
              .extract()
              .asString();
      assertThat(stream).contains("data:", "followed-line");
    }
    Api.asAdmin()
        .get("/api/v1/jobs/" + id + "/logs/")
        .then()
        .statusCode(200)
        .contentType(startsWith("application/json"));
  }
}
