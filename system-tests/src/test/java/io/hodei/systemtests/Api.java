package io.hodei.systemtests;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/**
 * REST calls to one {@link HodeiServer} as its administrator. The address and the token are read on
 * every call, so one {@code Api} keeps working across restarts of its server.
 */
public final class Api {

  private final HodeiServer server;

  public Api(HodeiServer server) {
    this.server = server;
  }

  /** A request with the server's base URL, the admin bearer token and a JSON content type. */
  public RequestSpecification request() {
    return RestAssured.given()
        .baseUri(server.baseUrl())
        .header("Authorization", "Bearer " + server.adminToken())
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON);
  }

  /** Jobs: submit, read, wait for a state, read logs. */
  public JobsClient jobs() {
    return new JobsClient(this);
  }

  /** The worker registry. */
  public WorkersClient workers() {
    return new WorkersClient(this);
  }

  /** Creates a pool with {@code POST /api/v1/pools} and expects 201. */
  public void createPool(Map<String, Object> pool) {
    request().body(pool).post("/api/v1/pools").then().statusCode(201);
  }

  /**
   * Stores an installation secret that provider configurations can name as {@code local:<name>},
   * with {@code PUT /api/v1/installation-secrets/<name>}.
   */
  public void putInstallationSecret(String name, Map<String, String> fields) {
    request()
        .body(Map.of("fields", fields))
        .put("/api/v1/installation-secrets/" + name)
        .then()
        .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
  }
}
