package io.hodei.credentials.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Keycloak server of the test run: the distribution the build unpacked (system property
 * {@code keycloak.dist.home}), started once per test JVM with the {@code hodei} test realm on a
 * free loopback port and stopped, by the process id it was started as, when the JVM exits.
 */
public final class KeycloakTestServer {

  public static final String REALM = "hodei";
  public static final String ADMIN_USER = "admin";
  public static final String ADMIN_PASSWORD = "admin-password";

  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(4);
  private static KeycloakTestServer instance;

  private final Process process;
  private final int port;

  private KeycloakTestServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The running server, started on first use. */
  public static synchronized KeycloakTestServer get() {
    if (instance == null) {
      instance = start();
      KeycloakTestServer started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "keycloak-test-stop"));
    }
    return instance;
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The issuer of the test realm's tokens. */
  public String issuer() {
    return baseUrl() + "/realms/" + REALM;
  }

  /** The test realm's token endpoint. */
  public URI tokenEndpoint() {
    return URI.create(issuer() + "/protocol/openid-connect/token");
  }

  private static KeycloakTestServer start() {
    Path home = home();
    try {
      // A clean state each run: the dev database keeps the realm of an earlier run otherwise.
      deleteTree(home.resolve("data/h2"));
      Path imports = Files.createDirectories(home.resolve("data/import"));
      try (InputStream realm =
          KeycloakTestServer.class.getResourceAsStream("/keycloak/hodei-realm.json")) {
        Files.copy(realm, imports.resolve("hodei-realm.json"), StandardCopyOption.REPLACE_EXISTING);
      }
      int port = freePort();
      Path log = home.resolve("keycloak-test.log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  List.of(
                      home.resolve("bin/kc.sh").toString(),
                      "start-dev",
                      "--http-host=127.0.0.1",
                      "--http-port=" + port,
                      "--import-realm"))
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
      builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
      builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
      Process process = builder.start();
      KeycloakTestServer server = new KeycloakTestServer(process, port);
      server.awaitReady(log);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Keycloak from " + home, e);
    }
  }

  private void awaitReady(Path log) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(issuer())).timeout(Duration.ofSeconds(5)).build();
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Keycloak exited with " + process.exitValue() + " while starting; see " + log);
      }
      try {
        // The test realm answers once the import is done, which comes after the master realm.
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new IllegalStateException("interrupted while waiting for Keycloak", e);
      }
      sleep(Duration.ofMillis(500));
    }
    stop();
    throw new IllegalStateException(
        "Keycloak did not answer within " + STARTUP_TIMEOUT + "; see " + log);
  }

  private void stop() {
    // kc.sh forwards TERM to the Keycloak JVM it started; the descendants are ours too.
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static Path home() {
    String home = System.getProperty("keycloak.dist.home");
    if (home == null || !Files.isExecutable(Path.of(home, "bin/kc.sh"))) {
      throw new IllegalStateException(
          "no Keycloak distribution at system property keycloak.dist.home ("
              + home
              + "); the build unpacks it in process-test-resources: run the tests through Maven");
    }
    return Path.of(home).toAbsolutePath();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Keycloak", e);
    }
  }
}
