package io.hodei.server.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hodei.server.persistence.Db;
import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.hodei.server.testing.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A {@code local} instance whose workers are not isolated (its sandbox turned off): a pool every
 * tenant shares takes no jobs there unless an operator allows it; a tenant's own pool works.
 */
@QuarkusTest
@Tag("keycloak")
@WithTestResource(HodeiTestResource.class)
// Tenants exist only with an identity provider; without one the rule has nothing to protect.
@WithTestResource(KeycloakTestResource.class)
class UnisolatedPoolTest {

  private static final Duration RUN = Duration.ofSeconds(60);

  @Inject Db db;

  @Test
  void aSharedPoolOnUnisolatedWorkersWaitsUntilAllowedWhileATenantsOwnPoolRuns() {
    post(
        "/api/v1/providers", Map.of("name", "local-open", "type", "local", "config", sandboxOff()));
    await("the instance reports that its workers are not isolated")
        .atMost(RUN)
        .untilAsserted(
            () ->
                Api.asAdmin()
                    .get("/api/v1/providers/local-open")
                    .then()
                    .statusCode(200)
                    .body("health.status", org.hamcrest.Matchers.equalTo("DEGRADED"))
                    .body(
                        "health.detail",
                        org.hamcrest.Matchers.startsWith(
                            "not isolated: the sandbox is turned off")));
    post("/api/v1/pools", Map.of("name", "open-shared", "providerInstance", "local-open"));
    post(
        "/api/v1/pools",
        Map.of("name", "open-own", "providerInstance", "local-open", "tenant", "default"));

    String shared = Jobs.submit(Map.of("name", "shared", "command", "true", "pool", "open-shared"));
    String own = Jobs.submit(Map.of("name", "own", "command", "true", "pool", "open-own"));

    Jobs.awaitState(own, "SUCCEEDED", RUN);
    await()
        .atMost(RUN)
        .untilAsserted(
            () ->
                assertThat(Jobs.get(shared).getString("reason"))
                    .isEqualTo(
                        "pool 'open-shared': is shared by every tenant but its provider's workers"
                            + " are not isolated: the sandbox is turned off (sandbox=false); an"
                            + " operator must give the pool a tenant or set its"
                            + " allow-unisolated"));
    assertThat(Jobs.state(shared)).isEqualTo("PENDING");

    // What hodei.pools.open-shared.allow-unisolated=true stores at the next start.
    db.tx(
            session ->
                session
                    .createNativeQuery(
                        "update pools set allow_unisolated = true where name = 'open-shared'")
                    .executeUpdate())
        .await()
        .atMost(Duration.ofSeconds(10));
    Jobs.awaitState(shared, "SUCCEEDED", RUN);
  }

  private static Map<String, String> sandboxOff() {
    return Map.of("sandbox", "false");
  }

  private static void post(String path, Map<String, Object> body) {
    Api.asAdmin().contentType("application/json").body(body).post(path).then().statusCode(201);
  }
}
