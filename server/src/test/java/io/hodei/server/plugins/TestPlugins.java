package io.hodei.server.plugins;

import io.hodei.plugin.api.Credential;
import io.hodei.plugin.api.CredentialHandle;
import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The real plugin jars built by the test-plugins modules, and what a test needs to use them. The
 * jars are copied to a directory by the build; they are never on the test class path.
 */
final class TestPlugins {

  static final String VERSION_ATTRIBUTE = "plugin.version";

  private TestPlugins() {}

  /** A built test plugin, e.g. {@code echo-v1.jar} or {@code zipped.zip}. */
  static Path built(String fileName) {
    String directory = System.getProperty("hodei.test-plugins");
    if (directory == null) {
      throw new IllegalStateException(
          "system property hodei.test-plugins is not set; run the tests through Maven, which"
              + " copies the test plugins to target/test-plugins");
    }
    Path path = Path.of(directory).resolve(fileName);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          path
              + " is missing; build the test-plugins modules first (./mvnw install -pl test-plugins -amd)");
    }
    return path;
  }

  /**
   * Drops a built plugin into {@code pluginsDir} as {@code fileName}, atomically, like an operator
   * should.
   */
  static Path install(Path pluginsDir, String builtFile, String fileName) {
    return write(pluginsDir, fileName, target -> copy(built(builtFile), target));
  }

  /** Writes arbitrary bytes as a plugin file, e.g. a broken jar. */
  static Path installBytes(Path pluginsDir, String fileName, byte[] content) {
    return write(
        pluginsDir,
        fileName,
        target -> {
          try {
            Files.write(target, content);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  static void remove(Path pluginsDir, String fileName) {
    try {
      Files.deleteIfExists(pluginsDir.resolve(fileName));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ProviderContext context(String instanceName) {
    return context(instanceName, Map.of());
  }

  static ProviderContext context(String instanceName, Map<String, String> config) {
    return new ProviderContext(
        instanceName,
        "test-installation",
        new ProviderConfig(instanceName, config),
        new NoCredentials(),
        event -> {},
        Clock.systemUTC());
  }

  static WorkerSpec spec(String workerId) {
    return new WorkerSpec(
        workerId,
        Optional.empty(),
        Resources.of(500, 256),
        Map.of(
            PluginApi.ENV_BOOTSTRAP_TOKEN, "not-a-real-token",
            PluginApi.ENV_SERVER_ADDRESS, "localhost:9000",
            PluginApi.ENV_WORKER_ID, workerId),
        Map.of(
            PluginApi.LABEL_MANAGED, "true",
            PluginApi.LABEL_INSTALLATION, "test-installation",
            PluginApi.LABEL_WORKER, workerId),
        Duration.ofMinutes(5));
  }

  /** Provisions and waits a little: the test doubles answer at once. */
  static WorkerHandle provision(ManagedProvider provider, String workerId) {
    try {
      return provider.provision(spec(workerId)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ProviderException known) {
        throw known;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("provision did not complete", e);
    }
  }

  private static Path write(Path pluginsDir, String fileName, Consumer<Path> writer) {
    // Written under a hidden name, then moved: the host never sees a half-written file.
    Path hidden = pluginsDir.resolve("." + fileName + ".part");
    Path target = pluginsDir.resolve(fileName);
    writer.accept(hidden);
    try {
      return Files.move(
          hidden, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) {
    try {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** These test providers use no credentials. */
  private static final class NoCredentials implements CredentialHandle {
    @Override
    public Credential get(String reference) {
      throw new ProviderException(
          ProviderException.ErrorCode.PERMISSION_DENIED, "tests give no credentials: " + reference);
    }

    @Override
    public void onRotation(String reference, Consumer<Credential> listener) {}
  }
}
