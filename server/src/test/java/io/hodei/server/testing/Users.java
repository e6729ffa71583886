package io.hodei.server.testing;

import static io.restassured.RestAssured.given;

import io.hodei.credentials.identity.KeycloakTestServer;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** The test realm's users (see its realm file), logged in through the API's client. */
public final class Users {

  private Users() {}

  /** A request carrying a fresh access token of {@code user}. */
  public static RequestSpecification as(String user) {
    return given().header("Authorization", "Bearer " + login(user));
  }

  /**
   * An access token of {@code user}, by the password grant; its password is the name plus
   * -password.
   */
  public static String login(String user) {
    return given()
        .formParams(
            Map.of(
                "grant_type", "password",
                "client_id", "hodei-api",
                "client_secret", "hodei-api-secret",
                "username", user,
                "password", user + "-password"))
        .post(KeycloakTestServer.get().tokenEndpoint())
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }
}
