package io.hodei.server.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.server.testing.HodeiTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class ApiAuthenticationTest {

  @Test
  void apiCallsWithoutATokenAreRefused() {
    given().get("/api/v1/plugins").then().statusCode(401).header("WWW-Authenticate", "Bearer");
  }

  @Test
  void apiCallsWithAWrongTokenAreRefused() {
    given()
        .header("Authorization", "Bearer not-the-token")
        .get("/api/v1/plugins")
        .then()
        .statusCode(401);
  }

  @Test
  void theAdminTokenFileIsReadableByItsOwnerOnly() throws Exception {
    Path file = HodeiTestResource.home().resolve("admin-token");
    assertThat(file).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void healthNeedsNoToken() {
    given().get("/q/health/live").then().statusCode(200);
  }
}
