package io.hodei.server.plugins;

import static io.hodei.server.plugins.TestPlugins.VERSION_ATTRIBUTE;
import static io.hodei.server.plugins.TestPlugins.context;
import static io.hodei.server.plugins.TestPlugins.install;
import static io.hodei.server.plugins.TestPlugins.provision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin host inside the running server: real plugin jars dropped into, replaced in and removed
 * from the plugins directory, seen through {@code GET /api/v1/plugins} and {@link PluginHost#open}.
 */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class PluginHostTest {

  private static final Duration DEADLINE = Duration.ofSeconds(15);

  /** {@code %test.hodei.plugins.interrupt-grace} */
  private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(1);

  @Inject PluginHost host;
  @Inject PluginsConfig config;

  private final List<ManagedProvider> opened = new java.util.ArrayList<>();
  private final List<String> installed = new java.util.ArrayList<>();

  @AfterEach
  void removeWhatThisTestInstalled() {
    opened.forEach(ManagedProvider::close);
    installed.forEach(file -> TestPlugins.remove(dir(), file));
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                host.plugins().stream()
                    .noneMatch(p -> installed.stream().anyMatch(p.path()::endsWith)));
  }

  @Test
  void aPluginDroppedIntoTheDirectoryIsListedAndProvisionsThenLeavesWhenRemoved() {
    drop("echo-v1.jar", "echo.jar");

    Map<String, Object> listed = awaitListed("test-echo", "STARTED");
    assertThat(listed)
        .containsEntry("version", "1.0.0")
        .containsEntry("requires", ">=1.0.0 & <2.0.0")
        .containsEntry("providerTypes", List.of("echo"));
    assertThat((String) listed.get("sha256")).hasSize(64);
    assertThat((String) listed.get("path")).endsWith("echo.jar");

    ManagedProvider echo = open("echo", "echo-1");
    WorkerHandle handle = provision(echo, "w-1");
    assertThat(handle.attributes()).containsEntry(VERSION_ATTRIBUTE, "1.0.0");
    assertThat(echo.descriptor().type()).isEqualTo("echo");

    TestPlugins.remove(dir(), "echo.jar");

    await().atMost(DEADLINE).until(() -> listedPlugin("test-echo").isEmpty());
    assertThat(host.providerTypes()).doesNotContain("echo");
    assertThatThrownBy(() -> provision(echo, "w-2"))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessageContaining("plugin test-echo is gone");
    assertThatThrownBy(() -> host.open("echo", context("echo-2")))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("no started plugin offers provider type 'echo'");
  }

  @Test
  void rewritingAPluginFileUpgradesItAndOpenInstancesFollow() throws Exception {
    drop("echo-v1.jar", "echo.jar");
    awaitListed("test-echo", "STARTED");
    ManagedProvider echo = open("echo", "echo-upgraded");
    assertThat(provision(echo, "before").attributes()).containsEntry(VERSION_ATTRIBUTE, "1.0.0");

    // Rewritten in place, as a careless operator would: the host waits for the file to settle.
    Files.copy(
        TestPlugins.built("echo-v2.jar"),
        dir().resolve("echo.jar"),
        StandardCopyOption.REPLACE_EXISTING);

    awaitListed("test-echo", "STARTED", "2.0.0");
    await()
        .atMost(DEADLINE)
        .ignoreException(ProviderException.class)
        .untilAsserted(
            () ->
                assertThat(provision(echo, "after").attributes())
                    .containsEntry(VERSION_ATTRIBUTE, "2.0.0"));
    assertThat(echo.descriptor().version()).isEqualTo("2.0.0");
  }

  @Test
  void brokenThrowingAndHangingPluginsFailAloneWhileOthersKeepWorking() throws Exception {
    drop("greeting-old.jar", "greeting-old.jar");
    drop("init-throws.jar", "init-throws.jar");
    drop("hangs.jar", "hangs.jar");
    installed.add("broken.jar");
    TestPlugins.installBytes(dir(), "broken.jar", "not a jar".getBytes(StandardCharsets.UTF_8));

    Map<String, Object> broken = awaitListed("broken.jar", "FAILED");
    assertThat((String) broken.get("failureCause")).contains("cannot load broken.jar");

    awaitListed("test-init-throws", "STARTED");
    // Whatever initialize throws fails that instance alone: the plugin stays in service.
    assertThatThrownBy(() -> host.open("init-throws", context("init-1")))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("provider instance init-1")
        .hasMessageContaining("fails on purpose in initialize");
    assertThatThrownBy(
            () -> host.open("init-throws", context("init-2", Map.of("throw", "arithmetic"))))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("ArithmeticException: long overflow");
    assertThatThrownBy(() -> host.open("init-throws", context("init-3", Map.of("throw", "error"))))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("NoClassDefFoundError");
    assertThat(listedPlugin("test-init-throws").map(p -> p.get("state"))).contains("STARTED");
    ManagedProvider sane = host.open("init-throws", context("init-4", Map.of("throw", "none")));
    opened.add(sane);
    assertThat(provision(sane, "w-sane").attributes()).containsEntry("instance", "init-4");

    awaitListed("test-hangs", "STARTED");
    ManagedProvider hangs = open("hangs", "hangs-1");
    // A slow call that ends when interrupted times out, and the plugin stays in service.
    assertThatThrownBy(() -> provision(hangs, "w-slow"))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT))
        .hasMessageContaining("provision did not finish within");
    await()
        .during(INTERRUPT_GRACE.multipliedBy(2))
        .atMost(INTERRUPT_GRACE.multipliedBy(4))
        .until(
            () -> listedPlugin("test-hangs").map(p -> p.get("state")).orElse(""),
            "STARTED"::equals);

    // One that ignores its interruption holds a thread for good: the plugin hangs.
    CompletableFuture<WorkerHandle> stuck =
        hangs.provision(TestPlugins.spec("w-stuck")).toCompletableFuture();
    assertThat(stuck).isNotDone();
    assertThatThrownBy(stuck::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    assertThat((String) awaitListed("test-hangs", "FAILED").get("failureCause"))
        .contains("provision overran")
        .contains("still running");
    assertThatThrownBy(() -> provision(hangs, "w-after"))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessageContaining("plugin test-hangs is FAILED");

    ManagedProvider greeting = open("greeting-old", "greeting-1");
    assertThat(provision(greeting, "w-ok").attributes()).containsKey("greeting");
    Api.asAdmin().get("/api/v1/plugins").then().statusCode(200);
  }

  @Test
  void aNewInstanceIsUnknownUntilItsFirstHealthCheckAnswers() {
    drop("hangs.jar", "hangs-health.jar");
    awaitListed("test-hangs", "STARTED");

    Api.asAdmin()
        .contentType("application/json")
        .body(
            Map.of(
                "name", "hangs-health", "type", "hangs", "config", Map.of("healthHangs", "true")))
        .post("/api/v1/providers")
        .then()
        .statusCode(201)
        .body("open", org.hamcrest.Matchers.equalTo(true))
        .body("health.status", org.hamcrest.Matchers.equalTo("UNKNOWN"))
        .body("health.detail", org.hamcrest.Matchers.equalTo("not checked yet"));
    Api.asAdmin()
        .get("/api/v1/providers/hangs-health")
        .then()
        .statusCode(200)
        .body("health.status", org.hamcrest.Matchers.equalTo("UNKNOWN"));

    // Its health check never answers: once the call times out, the verdict is known.
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                Api.asAdmin()
                    .get("/api/v1/providers/hangs-health")
                    .then()
                    .body("health.status", org.hamcrest.Matchers.equalTo("UNHEALTHY"))
                    .body(
                        "health.detail",
                        org.hamcrest.Matchers.containsString("health did not finish within")));
  }

  @Test
  void pluginsBundlingConflictingLibraryVersionsWorkSideBySide() {
    drop("greeting-old.jar", "greeting-old.jar");
    drop("greeting-new.jar", "greeting-new.jar");
    awaitListed("test-greeting-old", "STARTED");
    awaitListed("test-greeting-new", "STARTED");

    WorkerHandle old = provision(open("greeting-old", "old-1"), "w-old");
    WorkerHandle recent = provision(open("greeting-new", "new-1"), "w-new");

    assertThat(old.attributes())
        .containsEntry("commons-lang3", "3.12.0")
        .containsEntry("greeting", "Hello from the old library");
    assertThat(recent.attributes())
        .containsEntry("commons-lang3", "3.17.0")
        .containsEntry("greeting", "Hello from the new library");
  }

  @Test
  void aPluginNeedingANewerApiIsRefusedWithItsReason() {
    drop("future-api.jar", "future-api.jar");

    Map<String, Object> refused = awaitListed("test-future-api", "REFUSED");

    assertThat((String) refused.get("failureCause"))
        .contains(
            "plugin test-future-api requires plugin API '>=2.0.0' but this server offers 1.0.0");
    assertThat(host.providerTypes()).doesNotContain("future");
  }

  private Path dir() {
    return config.dir();
  }

  private void drop(String built, String fileName) {
    installed.add(fileName);
    install(dir(), built, fileName);
  }

  private ManagedProvider open(String type, String instance) {
    ManagedProvider provider = host.open(type, context(instance));
    opened.add(provider);
    return provider;
  }

  private Map<String, Object> awaitListed(String id, String state) {
    return awaitListed(id, state, null);
  }

  private Map<String, Object> awaitListed(String id, String state, String version) {
    return await()
        .atMost(DEADLINE)
        .until(
            () -> listedPlugin(id),
            found ->
                found.isPresent()
                    && state.equals(found.get().get("state"))
                    && (version == null || version.equals(found.get().get("version"))))
        .orElseThrow();
  }

  /** The plugin as {@code GET /api/v1/plugins} shows it to an administrator. */
  private static Optional<Map<String, Object>> listedPlugin(String id) {
    List<Map<String, Object>> plugins =
        Api.asAdmin()
            .get("/api/v1/plugins")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("$");
    return plugins.stream().filter(p -> id.equals(p.get("id"))).findFirst();
  }
}
