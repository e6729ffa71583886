package io.hodei.server.security;

import static io.hodei.server.testing.Users.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation over the whole API, one table: for every endpoint that takes an id or a name,
 * tenant B asking for tenant A's resource gets exactly the answer it gets for one that does not
 * exist (same status, same body once the id is blanked out), and A's resource is left as it was.
 * The table is checked against the server's own OpenAPI document, so an endpoint added with a path
 * parameter fails this test until a row says how it treats another tenant's ids.
 *
 * <p>alice (tenant-a) owns the resources; bob (tenant-b, role {@code user}) probes them.
 */
@QuarkusTest
@Tag("keycloak")
@WithTestResource(HodeiTestResource.class)
@WithTestResource(KeycloakTestResource.class)
class CrossTenantIsolationTest {

  /** What tenant A owns, created once for the table. */
  record Owned(String jobId, String secretName, String poolName) {}

  /**
   * One probe of the table.
   *
   * @param method the HTTP method
   * @param template the path as the OpenAPI document names it, e.g. {@code /api/v1/jobs/{id}}
   * @param foreign tenant A's value for the path parameter
   * @param query query parameters, with {@code {value}} standing for the probed value
   * @param body a JSON body, or null
   * @param status what tenant B gets, for A's value and for a missing one alike
   */
  record Probe(
      String method,
      String template,
      Function<Owned, String> foreign,
      Map<String, String> query,
      Object body,
      int status) {

    String path(String value) {
      return template.replaceFirst("\\{[^}]+}", value);
    }

    String endpoint() {
      return method + " " + template;
    }

    @Override
    public String toString() {
      return endpoint() + (query.isEmpty() ? "" : " " + query);
    }
  }

  private static final Map<String, String> NONE = Map.of();
  private static final Map<String, Object> SECRET_BODY = Map.of("fields", Map.of("value", "x"));

  /**
   * Every endpoint with a path parameter. Operator endpoints act on installation-wide resources
   * (provider instances, installation secrets), which no tenant owns: a tenant's user is refused
   * them whatever the name. Writes come last, so that they cannot change what a read sees.
   */
  private static final List<Probe> TABLE =
      List.of(
          new Probe("GET", "/api/v1/jobs/{id}", Owned::jobId, NONE, null, 404),
          new Probe("GET", "/api/v1/jobs/{id}/logs", Owned::jobId, NONE, null, 404),
          new Probe(
              "GET", "/api/v1/jobs/{id}/logs", Owned::jobId, Map.of("follow", "true"), null, 404),
          new Probe(
              "GET", "/api/v1/jobs/{id}/logs", Owned::jobId, Map.of("follow", "false"), null, 404),
          new Probe("GET", "/api/v1/secrets/{name}", Owned::secretName, NONE, null, 404),
          new Probe("GET", "/api/v1/pools/{name}", Owned::poolName, NONE, null, 404),
          new Probe("GET", "/api/v1/providers/{name}", o -> "local", NONE, null, 403),
          new Probe(
              "GET", "/api/v1/installation-secrets/{name}", Owned::secretName, NONE, null, 403),
          // A user may read its own tenant's quota; another tenant's is missing to it.
          new Probe("GET", "/api/v1/tenants/{tenant}/quota", o -> "tenant-a", NONE, null, 404),
          new Probe("POST", "/api/v1/jobs/{id}/cancel", Owned::jobId, NONE, null, 404),
          new Probe("DELETE", "/api/v1/secrets/{name}", Owned::secretName, NONE, null, 404),
          new Probe(
              "DELETE", "/api/v1/installation-secrets/{name}", Owned::secretName, NONE, null, 403),
          new Probe(
              "POST",
              "/api/v1/providers/{name}/rotate-client-secret",
              o -> "local",
              NONE,
              null,
              403),
          new Probe(
              "PUT",
              "/api/v1/installation-secrets/{name}",
              Owned::secretName,
              NONE,
              SECRET_BODY,
              403),
          new Probe(
              "PATCH", "/api/v1/pools/{name}", Owned::poolName, NONE, Map.of("priority", 1), 403),
          new Probe("DELETE", "/api/v1/pools/{name}", Owned::poolName, NONE, null, 403),
          new Probe(
              "PATCH",
              "/api/v1/providers/{name}",
              o -> "local",
              NONE,
              Map.of("maxWorkers", 9),
              403),
          new Probe("DELETE", "/api/v1/providers/{name}", o -> "local", NONE, null, 403),
          new Probe(
              "PUT",
              "/api/v1/tenants/{tenant}/quota",
              o -> "tenant-a",
              NONE,
              Map.of("jobs", 1),
              403),
          new Probe("DELETE", "/api/v1/tenants/{tenant}/quota", o -> "tenant-a", NONE, null, 403),
          // A tenant's secret names are its own: B writing A's name creates B's secret, as it
          // does for any new name, and leaves A's alone.
          new Probe("PUT", "/api/v1/secrets/{name}", Owned::secretName, NONE, SECRET_BODY, 201));

  /** Endpoints that take ids in their query rather than their path, probed the same way. */
  private static final List<Probe> QUERIES =
      List.of(
          new Probe("GET", "/api/v1/audit", Owned::jobId, Map.of("jobId", "{value}"), null, 403),
          new Probe(
              "GET",
              "/api/v1/audit",
              o -> "local:tenants/tenant-a/" + o.secretName(),
              Map.of("reference", "{value}"),
              null,
              403));

  @Test
  void everyEndpointWithAPathParameterIsInTheTable() {
    JsonPath openApi =
        given()
            .queryParam("format", "json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    Map<String, Map<String, Object>> paths = openApi.getMap("paths");
    Set<String> served = new TreeSet<>();
    paths.forEach(
        (path, operations) -> {
          if (path.contains("{")) {
            operations.keySet().stream()
                .filter(verb -> !verb.equals("parameters"))
                .forEach(verb -> served.add(verb.toUpperCase() + " " + path));
          }
        });
    Set<String> probed = TABLE.stream().map(Probe::endpoint).collect(Collectors.toSet());
    assertThat(probed)
        .as(
            "endpoints with a path parameter that the isolation table does not probe; add a row"
                + " saying what another tenant gets")
        .containsAll(served);
    assertThat(served).as("rows for endpoints the server does not serve").containsAll(probed);
  }

  @Test
  void anotherTenantsIdsAnswerExactlyLikeMissingOnes() {
    RequestSpecification alice = as("alice");
    Owned owned = createOwnedByTenantA(alice);
    List<String> differences = new ArrayList<>();
    for (Probe probe : concat(TABLE, QUERIES)) {
      String foreign = probe.foreign().apply(owned);
      String missing = missingLike(foreign);
      Response theirs = send(as("bob"), probe, foreign);
      Response absent = send(as("bob"), probe, missing);
      if (theirs.statusCode() != probe.status() || absent.statusCode() != probe.status()) {
        differences.add(
            probe
                + ": another tenant's "
                + theirs.statusCode()
                + ", missing "
                + absent.statusCode()
                + ", expected "
                + probe.status());
        continue;
      }
      if (!contentType(theirs).equals(contentType(absent))) {
        differences.add(
            probe + ": content types " + contentType(theirs) + " vs " + contentType(absent));
        continue;
      }
      Object theirsBody = normalized(theirs, foreign);
      Object absentBody = normalized(absent, missing);
      if (!theirsBody.equals(absentBody)) {
        differences.add(probe + ": bodies " + theirsBody + " vs " + absentBody);
      }
    }
    assertThat(differences)
        .as("answers that tell another tenant's ids from missing ones")
        .isEmpty();
    assertUnchanged(owned);
  }

  /** A's job, secret and pool, and an audit entry of A's secret write. */
  private static Owned createOwnedByTenantA(RequestSpecification alice) {
    String jobId =
        alice
            .contentType("application/json")
            .body(Map.of("name", "tenant-a-job", "command", "sleep 60"))
            .post("/api/v1/jobs")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String secret = "a-" + UUID.randomUUID();
    as("alice")
        .contentType("application/json")
        .body(Map.of("fields", Map.of("value", "alice-only")))
        .put("/api/v1/secrets/" + secret)
        .then()
        .statusCode(201);
    String pool = "tenant-a-" + UUID.randomUUID().toString().substring(0, 8);
    Api.asAdmin()
        .contentType("application/json")
        .body(Map.of("name", pool, "providerInstance", "local", "tenant", "tenant-a"))
        .post("/api/v1/pools")
        .then()
        .statusCode(201);
    return new Owned(jobId, secret, pool);
  }

  private static void assertUnchanged(Owned owned) {
    String state =
        as("alice")
            .get("/api/v1/jobs/" + owned.jobId())
            .then()
            .statusCode(200)
            .extract()
            .path("state");
    assertThat(state).as("A's job after B's cancel").isNotEqualTo("CANCELLED");
    List<Integer> versions =
        as("alice")
            .get("/api/v1/secrets/" + owned.secretName())
            .then()
            .statusCode(200)
            .extract()
            .path("versions.version");
    assertThat(versions).as("A's secret after B's writes and delete").containsExactly(1);
    as("alice").get("/api/v1/pools/" + owned.poolName()).then().statusCode(200);
    as("alice").post("/api/v1/jobs/" + owned.jobId() + "/cancel").then().statusCode(202);
  }

  /** A value of the same shape that names nothing: a fresh UUID, or a fresh name. */
  private static String missingLike(String foreign) {
    try {
      UUID.fromString(foreign);
      return UUID.randomUUID().toString();
    } catch (IllegalArgumentException notAnId) {
      int slash = foreign.lastIndexOf('/');
      return foreign.substring(0, slash + 1) + "missing-" + UUID.randomUUID();
    }
  }

  private static Response send(RequestSpecification who, Probe probe, String value) {
    RequestSpecification request = who;
    for (Map.Entry<String, String> q : probe.query().entrySet()) {
      request = request.queryParam(q.getKey(), q.getValue().replace("{value}", value));
    }
    if (probe.body() != null) {
      request = request.contentType("application/json").body(probe.body());
    }
    String path = probe.query().containsValue("{value}") ? probe.template() : probe.path(value);
    return request.request(probe.method(), path);
  }

  private static String contentType(Response response) {
    String type = response.contentType();
    return type == null ? "" : type.replaceAll(";.*", "");
  }

  /**
   * The body with the probed value blanked out; 2xx bodies (a created resource with its own
   * timestamps) by their shape only: keys and value types.
   */
  private static Object normalized(Response response, String value) {
    String text = response.asString().replace(value, "{value}");
    if (text.isEmpty()) {
      return "";
    }
    Object parsed = JsonPath.from(text).get("$");
    return response.statusCode() < 300 ? shape(parsed) : parsed;
  }

  private static Object shape(Object json) {
    if (json instanceof Map<?, ?> map) {
      Map<Object, Object> shaped = new LinkedHashMap<>();
      new TreeSet<>(map.keySet().stream().map(String::valueOf).toList())
          .forEach(key -> shaped.put(key, shape(map.get(key))));
      return shaped;
    }
    if (json instanceof Collection<?> list) {
      return list.stream().map(CrossTenantIsolationTest::shape).distinct().toList();
    }
    return json == null ? "null" : json.getClass().getSimpleName();
  }

  private static List<Probe> concat(List<Probe> a, List<Probe> b) {
    List<Probe> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
