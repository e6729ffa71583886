package io.hodei.server.providers;

import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without an identity provider every caller is the default tenant, so a shared pool on workers that
 * are not isolated runs jobs: there is no other tenant for them to read from. This is what a host
 * without bubblewrap gets on the embedded defaults.
 */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class UnisolatedSingleTenantTest {

  @Test
  void aSharedPoolOnUnisolatedWorkersRunsJobsWhenThereIsOneTenant() {
    post(
        "/api/v1/providers",
        Map.of("name", "local-single", "type", "local", "config", Map.of("sandbox", "false")));
    post("/api/v1/pools", Map.of("name", "single-shared", "providerInstance", "local-single"));

    String job = Jobs.submit(Map.of("name", "shared", "command", "true", "pool", "single-shared"));

    Jobs.awaitState(job, "SUCCEEDED", Duration.ofSeconds(60));
  }

  private static void post(String path, Map<String, Object> body) {
    Api.asAdmin().contentType("application/json").body(body).post(path).then().statusCode(201);
  }
}
