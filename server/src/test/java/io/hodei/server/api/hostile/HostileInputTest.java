package io.hodei.server.api.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hodei.server.api.hostile.HostileBodies.Case;
import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The API driven as a hostile client would: generated malformed bodies for every write endpoint,
 * and bad path segments and query parameters for every read endpoint. Every answer must be a 4xx
 * with the API's error body (never a 5xx, never an empty body), and a refused write must leave the
 * endpoint's list as it was.
 *
 * <p>The cases come from jqwik arbitraries with a fixed seed, so a run is reproducible; each one is
 * a JUnit dynamic test named after what it breaks. Generated cases per endpoint (plus the fixed
 * cases from the issue that found these holes):
 *
 * <ul>
 *   <li>{@code POST /api/v1/jobs}: {@value #JOB_CASES} bodies
 *   <li>{@code POST /api/v1/pools}: {@value #POOL_CASES} bodies
 *   <li>{@code POST /api/v1/providers}: {@value #PROVIDER_CASES} bodies
 *   <li>{@code PUT /api/v1/secrets/{name}} and {@code /api/v1/installation-secrets/{name}}: {@value
 *       #SECRET_CASES} bodies and {@value #PATH_CASES} names each
 *   <li>{@code DELETE} of both secrets, {@code POST /api/v1/jobs/{id}/cancel}, {@code POST
 *       /api/v1/providers/{name}/rotate-client-secret}: {@value #PATH_CASES} path segments each
 *   <li>every {@code GET}: {@value #PATH_CASES} path segments where it has one, and {@value
 *       #QUERY_CASES} query strings
 * </ul>
 */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class HostileInputTest {

  static final int JOB_CASES = 300;
  static final int POOL_CASES = 200;
  static final int PROVIDER_CASES = 150;
  static final int SECRET_CASES = 150;
  static final int PATH_CASES = 40;
  static final int QUERY_CASES = 60;
  private static final int MAX_ERROR_BODY = 16 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL server;

  private RawHttp http;

  @TestFactory
  Stream<DynamicNode> jobs() {
    Map<String, Object> valid =
        Map.of(
            "name",
            "hostile job",
            "steps",
            List.of(Map.of("name", "a", "command", "true")),
            "image",
            "alpine:3",
            "env",
            Map.of("CI", "1"),
            "workingDirectory",
            "w",
            "resources",
            Map.of("cpuMillis", 100, "memoryMib", 64),
            "timeoutSeconds",
            60,
            "labels",
            Map.of("team", "qa"),
            "retry",
            Map.of(
                "maxAttempts", 2,
                "initialBackoffSeconds", 1,
                "maxBackoffSeconds", 5,
                "retryJobFailures", false),
            // A pool that does not exist: a case accepted by mistake waits there, and runs nothing.
            "pool",
            "hostile-nowhere");
    Map<String, Object> withSecret = new java.util.LinkedHashMap<>(valid);
    withSecret.put(
        "secrets", List.of(Map.of("reference", "local:tenants/default/hostile", "env", "HOSTILE")));
    List<Slot> slots =
        List.of(
            Slot.name("name", 100),
            Slot.list("steps"),
            Slot.text("steps[0].name", 0),
            Slot.text("steps[0].command", 64 * 1024),
            Slot.text("image", 0),
            Slot.map("env", true, 128),
            Slot.text("workingDirectory", 0),
            Slot.object("resources"),
            Slot.whole("resources.cpuMillis", 0, 1_000_000_000),
            Slot.whole("resources.memoryMib", 0, 1024L * 1024 * 1024),
            Slot.whole("timeoutSeconds", 1, 604_800),
            Slot.map("labels", true, 63),
            Slot.object("retry"),
            Slot.whole("retry.maxAttempts", 1, 20),
            Slot.whole("retry.initialBackoffSeconds", 0, 86_400),
            Slot.whole("retry.maxBackoffSeconds", 0, 86_400),
            Slot.bool("retry.retryJobFailures"),
            Slot.name("pool", 63),
            Slot.list("secrets"),
            Slot.name("secrets[0].reference", 545),
            Slot.name("secrets[0].env", 128));
    String job = "{\"name\": \"raw\", \"command\": \"true\", \"pool\": \"hostile-nowhere\"";
    List<Case> fromTheIssue =
        List.of(
            issue(job + "}xyz"),
            issue(job + "}" + job + "}"),
            issue(job + ", \"retry\": {\"retryJobFailures\": 7}}"),
            issue(job + ", \"timeoutSeconds\": 1.5}"),
            issue(job + ", \"env\": {\"A\": null}}"),
            issue(job + ", \"labels\": {\"a\": null}}"),
            issue(job + ", \"env\": {\"A\": \"" + "x".repeat(1024 * 1024) + "\\u0000\"}}"));
    return writes(
        "POST /api/v1/jobs",
        "POST",
        "/api/v1/jobs",
        withSecret,
        slots,
        JOB_CASES,
        fromTheIssue,
        () -> list("/api/v1/jobs?limit=500", "items"));
  }

  @TestFactory
  Stream<DynamicNode> pools() {
    Map<String, Object> valid =
        Map.of(
            "name", "hostile-pool",
            "providerInstance", "local",
            "maxWorkers", 2,
            "maxJobsPerWorker", 1,
            "idleTimeoutSeconds", 60,
            "provisioningTimeoutSeconds", 60,
            "tenant", "qa");
    List<Slot> slots =
        List.of(
            Slot.name("name", 63),
            Slot.name("providerInstance", 63),
            Slot.whole("maxWorkers", 1, 10_000),
            Slot.whole("maxJobsPerWorker", 1, 1_000),
            Slot.whole("idleTimeoutSeconds", 1, 30L * 24 * 3600),
            Slot.whole("provisioningTimeoutSeconds", 1, 24L * 3600),
            Slot.controlled("tenant"));
    String pool = "{\"name\": \"hostile-issue\", \"providerInstance\": \"local\"";
    List<Case> fromTheIssue =
        List.of(
            issue("{\"name\": 5, \"providerInstance\": \"local\"}"),
            issue(pool + ", \"idleTimeoutSeconds\": 9223372036854775807}"),
            issue(pool + ", \"provisioningTimeoutSeconds\": 4611686018427387904}"),
            issue("{\"name\": \"hostile-issue\", \"providerInstance\": \"lo\\u0000cal\"}"),
            issue(pool + ", \"tenant\": \"a\\u0000b\"}"),
            issue(pool + ", \"tenant\": \"" + "t".repeat(1024 * 1024) + "\\u0000\"}"));
    return writes(
        "POST /api/v1/pools",
        "POST",
        "/api/v1/pools",
        valid,
        slots,
        POOL_CASES,
        fromTheIssue,
        () -> list("/api/v1/pools", "name"));
  }

  @TestFactory
  Stream<DynamicNode> providers() {
    Map<String, Object> valid =
        Map.of(
            "name",
            "hostile-provider",
            "type",
            "local",
            "config",
            Map.of("terminationGrace", "1s"));
    List<Slot> slots =
        List.of(Slot.name("name", 63), Slot.name("type", 64), Slot.map("config", false, 0));
    List<Case> fromTheIssue =
        List.of(
            issue(
                "{\"name\": \"hostile-issue\", \"type\": \"local\", \"config\":"
                    + " {\"terminationGrace\": null}}"),
            issue("{\"name\": \"hostile-issue\", \"type\": \"local\"} {}"));
    return writes(
        "POST /api/v1/providers",
        "POST",
        "/api/v1/providers",
        valid,
        slots,
        PROVIDER_CASES,
        fromTheIssue,
        () -> list("/api/v1/providers", "name"));
  }

  @TestFactory
  Stream<DynamicNode> secrets() {
    return Stream.of("/api/v1/secrets", "/api/v1/installation-secrets")
        .flatMap(
            root -> {
              Map<String, Object> valid = Map.of("fields", Map.of("value", "s3cret"));
              List<Slot> slots = List.of(Slot.map("fields", true, 64));
              Supplier<String> stored = () -> list(root, "name") + list(root, "versions");
              List<Case> fromTheIssue =
                  List.of(issue("{\"fields\": {\"value\": \"" + "v".repeat(1024 * 1024) + "\"}}"));
              Stream<DynamicNode> bodies =
                  writes(
                      "PUT " + root + "/{name}",
                      "PUT",
                      root + "/hostile-secret",
                      valid,
                      slots,
                      SECRET_CASES,
                      fromTheIssue,
                      stored);
              byte[] body =
                  "{\"fields\": {\"value\": \"s3cret\"}}".getBytes(StandardCharsets.UTF_8);
              Stream<DynamicNode> names =
                  Stream.of(
                      pathCases(
                          "PUT " + root + "/{bad name}",
                          "PUT",
                          root + "/",
                          "",
                          body,
                          stored,
                          HostileRequests.badSecretNames()),
                      pathCases(
                          "DELETE " + root + "/{bad name}", "DELETE", root + "/", "", null, stored),
                      pathCases("GET " + root + "/{bad name}", "GET", root + "/", "", null, stored),
                      queryCases("GET " + root, root, List.of("name")));
              return Stream.concat(bodies, names);
            });
  }

  @TestFactory
  Stream<DynamicNode> reads() {
    Supplier<String> jobs = () -> list("/api/v1/jobs?limit=500", "items");
    Supplier<String> nothing = () -> "";
    List<DynamicNode> nodes = new ArrayList<>();
    nodes.add(pathCases("GET /api/v1/jobs/{id}", "GET", "/api/v1/jobs/", "", null, nothing));
    nodes.add(
        pathCases("GET /api/v1/jobs/{id}/logs", "GET", "/api/v1/jobs/", "/logs", null, nothing));
    nodes.add(
        pathCases(
            "GET /api/v1/jobs/{id}/logs?follow=true",
            "GET",
            "/api/v1/jobs/",
            "/logs?follow=true",
            null,
            nothing));
    nodes.add(
        pathCases("POST /api/v1/jobs/{id}/cancel", "POST", "/api/v1/jobs/", "/cancel", null, jobs));
    nodes.add(pathCases("GET /api/v1/pools/{name}", "GET", "/api/v1/pools/", "", null, nothing));
    nodes.add(
        pathCases("GET /api/v1/providers/{name}", "GET", "/api/v1/providers/", "", null, nothing));
    nodes.add(
        pathCases(
            "POST /api/v1/providers/{name}/rotate-client-secret",
            "POST",
            "/api/v1/providers/",
            "/rotate-client-secret",
            null,
            () -> list("/api/v1/providers", "name")));
    Set<String> states =
        Set.of("PENDING", "PROVISIONING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED");
    nodes.add(
        queries(
            "GET /api/v1/jobs",
            "/api/v1/jobs",
            List.of(
                HostileRequests.badWholeNumbers(1, 500).map(v -> "limit=" + v),
                HostileRequests.badWholeNumbers(0, Integer.MAX_VALUE).map(v -> "offset=" + v),
                HostileRequests.badWords(
                        v -> v.isBlank() || states.contains(v.trim().toUpperCase()))
                    .map(v -> "state=" + v),
                HostileRequests.controlQueries(List.of("state", "limit", "offset")))));
    nodes.add(
        queries(
            "GET /api/v1/workers",
            "/api/v1/workers",
            List.of(
                HostileRequests.badWholeNumbers(1, 1000).map(v -> "limit=" + v),
                HostileRequests.badWords(v -> v.equals("true") || v.equals("false"))
                    .map(v -> "all=" + v),
                HostileRequests.controlQueries(List.of("all", "limit")))));
    nodes.add(
        queries(
            "GET /api/v1/audit",
            "/api/v1/audit",
            List.of(
                HostileRequests.badWholeNumbers(1, 1000).map(v -> "limit=" + v),
                HostileRequests.controlQueries(List.of("reference", "action", "jobId", "limit")))));
    for (String root : List.of("/api/v1/pools", "/api/v1/providers", "/api/v1/plugins")) {
      nodes.add(queryCases("GET " + root, root, List.of("name", "limit")));
    }
    // The cases the issue found, as they were sent.
    nodes.add(
        dynamicContainer(
            "read cases from the issue",
            Stream.of(
                    "/api/v1/pools/%00",
                    "/api/v1/audit?reference=%00",
                    "/api/v1/audit?jobId=%00",
                    "/api/v1/jobs?limit=abc",
                    "/api/v1/jobs?offset=9223372036854775807",
                    "/api/v1/workers?limit=x")
                .map(path -> dynamicTest(path, () -> expectRefused(path, http().get(path), 400)))));
    return nodes.stream();
  }

  /** The generated and fixed bodies of one write endpoint, between two looks at what is stored. */
  private Stream<DynamicNode> writes(
      String endpoint,
      String method,
      String path,
      Map<String, Object> valid,
      List<Slot> slots,
      int count,
      List<Case> fromTheIssue,
      Supplier<String> stored) {
    List<Case> cases = sample(new HostileBodies(valid, slots).cases(), count, endpoint);
    AtomicReference<String> before = new AtomicReference<>();
    List<DynamicNode> tests = new ArrayList<>();
    tests.add(
        dynamicTest(
            "the valid body the cases start from is accepted",
            () -> {
              int status = http().send(method, path, JSON.writeValueAsBytes(valid)).status();
              assertThat(status).as("the valid body").isIn(200, 201);
              before.set(stored.get());
            }));
    Stream.concat(fromTheIssue.stream(), cases.stream())
        .map(
            c ->
                dynamicTest(
                    c.description(),
                    () -> expectRefused(c.description(), http().send(method, path, c.body()), 400)))
        .forEach(tests::add);
    tests.add(
        dynamicTest(
            "nothing refused was stored", () -> assertThat(stored.get()).isEqualTo(before.get())));
    return Stream.of(dynamicContainer(endpoint + ": " + cases.size() + " generated bodies", tests));
  }

  /**
   * Bad path segments for one endpoint: a 4xx with the error body; a 400 with a control character.
   */
  private DynamicNode pathCases(
      String endpoint,
      String method,
      String prefix,
      String suffix,
      byte[] body,
      Supplier<String> stored) {
    return pathCases(endpoint, method, prefix, suffix, body, stored, HostileRequests.segments());
  }

  private DynamicNode pathCases(
      String endpoint,
      String method,
      String prefix,
      String suffix,
      byte[] body,
      Supplier<String> stored,
      Arbitrary<String> generator) {
    List<String> segments = sample(generator, PATH_CASES - 5, endpoint);
    List<String> controls = sample(HostileRequests.controlSegments(), 5, endpoint + " control");
    AtomicReference<String> before = new AtomicReference<>();
    List<DynamicNode> tests = new ArrayList<>();
    tests.add(dynamicTest("what is stored before", () -> before.set(stored.get())));
    for (String segment : segments) {
      tests.add(
          dynamicTest(
              HostileBodies.shorten(segment),
              () ->
                  expectRefused(segment, http().send(method, prefix + segment + suffix, body), 0)));
    }
    for (String segment : controls) {
      tests.add(
          dynamicTest(
              "control: " + segment,
              () ->
                  expectRefused(
                      segment, http().send(method, prefix + segment + suffix, body), 400)));
    }
    tests.add(
        dynamicTest(
            "nothing refused was stored", () -> assertThat(stored.get()).isEqualTo(before.get())));
    return dynamicContainer(endpoint + ": " + PATH_CASES + " generated path segments", tests);
  }

  /** Query strings with a control character, for an endpoint that takes no documented ones. */
  private DynamicNode queryCases(String endpoint, String path, List<String> names) {
    return queries(endpoint, path, List.of(HostileRequests.controlQueries(names)));
  }

  private DynamicNode queries(String endpoint, String path, List<Arbitrary<String>> kinds) {
    List<String> queries = sample(net.jqwik.api.Arbitraries.oneOf(kinds), QUERY_CASES, endpoint);
    return dynamicContainer(
        endpoint + ": " + queries.size() + " generated query strings",
        queries.stream()
            .map(
                q ->
                    dynamicTest(
                        "?" + HostileBodies.shorten(q),
                        () -> expectRefused(q, http().get(path + "?" + q), 400))));
  }

  /**
   * A refusal as the API documents it: the status ({@code 0}: any 4xx), a JSON body with a sentence
   * in {@code error} and {@code problems} of fields and messages, and small.
   */
  private static void expectRefused(String request, RawHttp.Answer answer, int status)
      throws IOException {
    String shown = request.length() > 120 ? request.substring(0, 120) + "..." : request;
    if (status == 0) {
      assertThat(answer.status())
          .as("status for %s, body %s", shown, shortBody(answer))
          .isBetween(400, 499);
    } else {
      assertThat(answer.status())
          .as("status for %s, body %s", shown, shortBody(answer))
          .isEqualTo(status);
    }
    assertThat(answer.body().length()).as("error body size").isLessThan(MAX_ERROR_BODY);
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body).as("error body").isNotNull();
    assertThat(body.path("error").isTextual()).as("error in %s", answer.body()).isTrue();
    assertThat(body.path("error").asText()).isNotBlank();
    assertThat(body.path("problems").isArray()).as("problems in %s", answer.body()).isTrue();
    for (JsonNode problem : body.path("problems")) {
      assertThat(problem.path("field").isTextual()).as("problem %s", problem).isTrue();
      assertThat(problem.path("message").isTextual()).as("problem %s", problem).isTrue();
    }
  }

  private static String shortBody(RawHttp.Answer answer) {
    return HostileBodies.shorten(
        answer.body().length() > 300 ? answer.body().substring(0, 300) : answer.body());
  }

  private static Case issue(String body) {
    return new Case(
        "from the issue: " + HostileBodies.shorten(body), body.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code count} values of the arbitrary, the same ones at every run. */
  private static <T> List<T> sample(Arbitrary<T> arbitrary, int count, String seed) {
    JqwikSession.start(Long.toString(seed.hashCode() & 0xffffffffL));
    try {
      return arbitrary.sampleStream().limit(count).toList();
    } finally {
      JqwikSession.finish();
    }
  }

  private String list(String path, String field) {
    RawHttp.Answer answer = http().get(path);
    assertThat(answer.status()).as("listing %s", path).isEqualTo(200);
    try {
      JsonNode body = JSON.readTree(answer.body());
      JsonNode items = body.isArray() ? body : body.path(field);
      if (body.isArray()) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.path(field).toString()));
        return values.toString();
      }
      List<String> ids = new ArrayList<>();
      items.forEach(item -> ids.add(item.path("id").asText()));
      return ids.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RawHttp http() {
    if (http == null) {
      http = new RawHttp(server.toString(), Api.adminToken());
    }
    return http;
  }
}
