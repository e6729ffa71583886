package io.hodei.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Identical creates sent at once: the database lets exactly one win, the others are told why, and
 * the losers leave the winner as it was.
 */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class ConcurrentCreatesTest {

  private static final int N = 8;

  private final ExecutorService clients = Executors.newFixedThreadPool(N);

  @AfterEach
  void stopClients() {
    clients.shutdownNow();
  }

  @Test
  void identicalProviderAndPoolCreatesGiveOne201AndThe409sLeaveTheWinnerWorking() {
    List<Response> providers =
        all(
            () ->
                Api.asAdmin()
                    .contentType("application/json")
                    .body(Map.of("name", "race-local", "type", "local", "config", Map.of()))
                    .post("/api/v1/providers"));
    assertOneCreatedAndConflicts(providers, "provider instance race-local already exists");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                Api.asAdmin()
                    .get("/api/v1/providers/race-local")
                    .then()
                    .statusCode(200)
                    .body("open", org.hamcrest.Matchers.equalTo(true))
                    .body("problem", org.hamcrest.Matchers.nullValue())
                    .body("health.status", org.hamcrest.Matchers.equalTo("HEALTHY")));

    List<Response> pools =
        all(
            () ->
                Api.asAdmin()
                    .contentType("application/json")
                    .body(
                        Map.of(
                            "name", "race-pool", "providerInstance", "race-local", "maxWorkers", 3))
                    .post("/api/v1/pools"));
    assertOneCreatedAndConflicts(pools, "pool race-pool already exists");
    Api.asAdmin()
        .get("/api/v1/pools/race-pool")
        .then()
        .statusCode(200)
        .body("providerInstance", org.hamcrest.Matchers.equalTo("race-local"))
        .body("maxWorkers", org.hamcrest.Matchers.equalTo(3));

    // The winning instance still runs work: no loser closed it or took its credentials.
    String id =
        Jobs.submit(Map.of("name", "after-the-race", "command", "true", "pool", "race-pool"));
    Jobs.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
    Api.asAdmin()
        .get("/api/v1/providers/race-local")
        .then()
        .body("open", org.hamcrest.Matchers.equalTo(true))
        .body("health.status", org.hamcrest.Matchers.equalTo("HEALTHY"));
  }

  @Test
  void identicalSecretWritesCreateOnceAndEachOtherAddsAVersion() {
    List<Response> writes =
        all(
            () ->
                Api.asAdmin()
                    .contentType("application/json")
                    .body(Map.of("fields", Map.of("value", "same-value")))
                    .put("/api/v1/secrets/race-secret"));

    assertThat(writes).extracting(Response::statusCode).containsOnly(201, 200);
    assertThat(writes).filteredOn(r -> r.statusCode() == 201).hasSize(1);
    assertThat(
            Api.asAdmin()
                .get("/api/v1/secrets/race-secret")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("versions.version", Integer.class))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
  }

  private static void assertOneCreatedAndConflicts(List<Response> answers, String conflict) {
    assertThat(answers).extracting(Response::statusCode).containsOnly(201, 409);
    assertThat(answers).filteredOn(r -> r.statusCode() == 201).hasSize(1);
    answers.stream()
        .filter(r -> r.statusCode() == 409)
        .forEach(r -> assertThat(r.jsonPath().getString("error")).isEqualTo(conflict));
  }

  /** Sends {@code N} copies of a request as close to at once as threads allow. */
  private List<Response> all(Supplier<Response> request) {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Response>> sent = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      sent.add(
          clients.submit(
              () -> {
                go.await();
                return request.get();
              }));
    }
    go.countDown();
    List<Response> answers = new ArrayList<>();
    for (Future<Response> answer : sent) {
      try {
        answers.add(answer.get());
      } catch (Exception e) {
        throw new AssertionError("a request did not complete", e);
      }
    }
    return answers;
  }
}
