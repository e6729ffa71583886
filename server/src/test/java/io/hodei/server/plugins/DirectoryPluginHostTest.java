package io.hodei.server.plugins;

import static io.hodei.server.plugins.TestPlugins.context;
import static io.hodei.server.plugins.TestPlugins.install;
import static io.hodei.server.plugins.TestPlugins.provision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host without the server: real plugin files in a temporary directory, scanned on demand. */
class DirectoryPluginHostTest {

  @TempDir Path home;
  private DirectoryPluginHost host;

  @AfterEach
  void closeHost() {
    if (host != null) {
      host.close();
    }
  }

  @Test
  void theChecksumAllowListRefusesUnlistedAndMismatchedFiles() throws Exception {
    String echoSha = PluginInstaller.sha256(TestPlugins.built("echo-v1.jar"));
    install(plugins(), "echo-v1.jar", "echo.jar");
    install(plugins(), "greeting-old.jar", "greeting-old.jar");
    install(plugins(), "greeting-new.jar", "greeting-new.jar");

    host = start(ChecksumAllowList.parse(List.of(echoSha, "greeting-new.jar=" + "0".repeat(64))));

    assertThat(info("test-echo").state()).isEqualTo(PluginStatus.STARTED);
    assertThat(info("test-echo").sha256()).isEqualTo(echoSha);
    PluginInfo unlisted = info("greeting-old.jar");
    assertThat(unlisted.state()).isEqualTo(PluginStatus.REFUSED);
    assertThat(unlisted.failureCause())
        .hasValueSatisfying(why -> assertThat(why).contains("is not in hodei.plugins.checksums"));
    PluginInfo mismatched = info("greeting-new.jar");
    assertThat(mismatched.state()).isEqualTo(PluginStatus.REFUSED);
    assertThat(mismatched.failureCause())
        .hasValueSatisfying(why -> assertThat(why).contains("expects " + "0".repeat(64)));
    assertThat(host.providerTypes()).containsExactly("echo");
  }

  @Test
  void aZipPluginInPf4jLayoutLoadsWithItsLibraries() {
    install(plugins(), "zipped.zip", "zipped.zip");
    host = start(ChecksumAllowList.NONE);

    assertThat(info("test-zipped").state()).isEqualTo(PluginStatus.STARTED);
    ManagedProvider zipped = host.open("zipped", context("zipped-1"));
    assertThat(provision(zipped, "w-1").resourceId()).isEqualTo("zipped-w-1");
    // Unpacked in the work directory: the plugins directory may be read-only.
    assertThat(plugins().resolve("zipped")).doesNotExist();

    TestPlugins.remove(plugins(), "zipped.zip");
    host.scanNow();

    assertThat(host.plugins()).isEmpty();
    assertThatThrownBy(() -> provision(zipped, "w-2"))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }

  @Test
  void aSecondFileWithTheSameIdWaitsUntilTheFirstIsRemoved() {
    install(plugins(), "echo-v1.jar", "echo-1.jar");
    host = start(ChecksumAllowList.NONE);
    ManagedProvider echo = host.open("echo", context("echo-1"));

    install(plugins(), "echo-v2.jar", "echo-2.jar");
    host.scanNow();

    PluginInfo waiting =
        host.plugins().stream()
            .filter(p -> p.path().endsWith("echo-2.jar"))
            .findFirst()
            .orElseThrow();
    assertThat(waiting.state()).isEqualTo(PluginStatus.REFUSED);
    assertThat(waiting.failureCause())
        .hasValueSatisfying(why -> assertThat(why).contains("already loaded from echo-1.jar"));

    TestPlugins.remove(plugins(), "echo-1.jar");
    host.scanNow();

    assertThat(info("test-echo").version()).isEqualTo("2.0.0");
    assertThat(provision(echo, "w-1").attributes()).containsEntry("plugin.version", "2.0.0");
  }

  @Test
  void shutdownClosesInstancesAndStopsPlugins() {
    install(plugins(), "echo-v1.jar", "echo.jar");
    host = start(ChecksumAllowList.NONE);
    ManagedProvider echo = host.open("echo", context("echo-1"));

    host.close();

    assertThat(info("test-echo").state()).isEqualTo(PluginStatus.STOPPED);
    assertThatThrownBy(() -> provision(echo, "w-1"))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessageContaining("closed");
  }

  @Test
  void loadingOnePluginIsQuick() {
    install(plugins(), "greeting-new.jar", "greeting-new.jar");
    host = new DirectoryPluginHost(settings(ChecksumAllowList.NONE), Clock.systemUTC());

    long started = System.nanoTime();
    host.start();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(info("test-greeting-new").state()).isEqualTo(PluginStatus.STARTED);
    System.out.printf("Plugin host: loading one plugin (greeting-new.jar) took %d ms%n", millis);
    assertThat(millis).isLessThan(10_000);
  }

  private DirectoryPluginHost start(ChecksumAllowList allowList) {
    DirectoryPluginHost started = new DirectoryPluginHost(settings(allowList), Clock.systemUTC());
    started.start();
    return started;
  }

  private PluginHostSettings settings(ChecksumAllowList allowList) {
    return new PluginHostSettings(
        plugins(),
        home.resolve("work"),
        allowList,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        2,
        8,
        // Scans run on demand in these tests; the background one barely matters.
        Duration.ofHours(1),
        Duration.ZERO);
  }

  private Path plugins() {
    Path plugins = home.resolve("plugins");
    try {
      Files.createDirectories(plugins);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return plugins;
  }

  private PluginInfo info(String id) {
    return host.plugins().stream()
        .filter(p -> p.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " is not listed: " + host.plugins()));
  }
}
