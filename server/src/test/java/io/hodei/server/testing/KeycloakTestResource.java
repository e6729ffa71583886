package io.hodei.server.testing;

import io.hodei.credentials.identity.KeycloakTestServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Connects the server under test to the real Keycloak of the test run ({@link KeycloakTestServer}),
 * started once per test JVM and shared by every test class that names this resource.
 */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

  /** The test realm's client the server manages provider instances' clients with. */
  public static final String ADMIN_CLIENT_SECRET = "hodei-server-secret";

  @Override
  public Map<String, String> start() {
    KeycloakTestServer keycloak = KeycloakTestServer.get();
    return Map.of(
        "hodei.keycloak.server-url",
        keycloak.baseUrl(),
        "hodei.keycloak.realm",
        KeycloakTestServer.REALM,
        "hodei.keycloak.admin-client-secret",
        ADMIN_CLIENT_SECRET);
  }

  @Override
  public void stop() {
    // Shared by the test classes of the JVM; its shutdown hook stops it.
  }
}
