package io.hodei.server.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** REST calls as an authenticated administrator of the server under test. */
public final class Api {

  private Api() {}

  public static String adminToken() {
    try {
      return Files.readString(HodeiTestResource.home().resolve("admin-token")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RequestSpecification asAdmin() {
    return RestAssured.given().header("Authorization", "Bearer " + adminToken());
  }
}
