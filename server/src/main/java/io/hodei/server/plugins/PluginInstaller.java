package io.hodei.server.plugins;

import io.hodei.plugin.api.WorkerManagerProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.util.Unzip;

/**
 * Turns one plugin file into a {@link LoadedPlugin}: copies it to the work directory, checks the
 * allow-list and the API range, loads and starts it in PF4J and asks each of its providers what
 * type it offers. Never throws: whatever goes wrong becomes a FAILED or REFUSED plugin with its
 * cause, and everything half-done is undone.
 */
final class PluginInstaller {

  private static final Logger LOG = Logger.getLogger(PluginInstaller.class);

  /** What the host already holds, which a new plugin must not clash with. */
  interface Clashes {
    Optional<String> withId(String pluginId);

    Optional<String> withType(String type);
  }

  private final PluginHostSettings settings;
  private final IsolatingPluginManager manager;
  private final ApiCompatibility api;
  private final ProviderCalls probe;

  PluginInstaller(
      PluginHostSettings settings,
      IsolatingPluginManager manager,
      ApiCompatibility api,
      ProviderCalls probe) {
    this.settings = settings;
    this.manager = manager;
    this.api = api;
    this.probe = probe;
  }

  LoadedPlugin install(PluginFile file, long loadId, Clashes clashes) {
    Attempt attempt = new Attempt(file, loadId);
    try {
      return attempt.run(clashes);
    } catch (Throwable failure) {
      if (failure instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      attempt.undo();
      String cause = "cannot load " + file.fileName() + ": " + Causes.describe(failure);
      LOG.errorf(failure, "Plugin %s FAILED: %s", attempt.id, cause);
      return attempt.result(PluginStatus.FAILED, Optional.of(cause), Map.of(), false);
    }
  }

  /** Stops and unloads a plugin and deletes the host's copy of it. */
  void uninstall(LoadedPlugin plugin) {
    if (plugin.inManager()) {
      unload(plugin.id());
    }
    plugin.workFiles().forEach(PluginInstaller::deleteQuietly);
  }

  /** Stops and unloads a plugin from PF4J; its own stop() may throw, which must not stop us. */
  private void unload(String pluginId) {
    if (manager.getPlugin(pluginId) == null) {
      return;
    }
    try {
      manager.stopPlugin(pluginId);
    } catch (RuntimeException e) {
      LOG.warnf(e, "Plugin %s failed while stopping; unloading it anyway", pluginId);
    }
    manager.unloadPlugin(pluginId);
  }

  /** The mutable progress of one load, so that a failure at any step can be undone. */
  private final class Attempt {
    private final PluginFile file;
    private final long loadId;
    private final List<Path> workFiles = new ArrayList<>();
    private String sha256 = "";
    private String id;
    private String version = "";
    private String requires = "";
    private List<String> types = List.of();
    private boolean inManager;

    Attempt(PluginFile file, long loadId) {
      this.file = file;
      this.loadId = loadId;
      this.id = file.fileName();
    }

    LoadedPlugin run(Clashes clashes) throws IOException {
      Path copy = settings.workDirectory().resolve(loadId + "-" + file.fileName());
      Files.createDirectories(settings.workDirectory());
      workFiles.add(copy);
      // Load a private copy: the operator may rewrite the file while its classes are in use.
      Files.copy(file.path(), copy);
      sha256 = sha256(copy);
      Optional<String> untrusted = settings.allowList().refusal(file.fileName(), sha256);
      if (untrusted.isPresent()) {
        return refused(untrusted.get(), false);
      }
      Path loadPath = file.isZip() ? unzip(copy) : copy;
      PluginDescriptor descriptor = descriptorOf(loadPath);
      id = descriptor.getPluginId();
      version = nullToEmpty(descriptor.getVersion());
      requires = nullToEmpty(descriptor.getRequires());
      Optional<String> incompatible = api.refusal(id, requires);
      if (incompatible.isPresent()) {
        return refused(incompatible.get(), false);
      }
      Optional<String> sameId = clashes.withId(id);
      if (sameId.isPresent()) {
        return refused(sameId.get(), true);
      }
      manager.loadPlugin(loadPath);
      inManager = manager.getPlugin(id) != null;
      if (!inManager) {
        throw new IllegalStateException("PF4J did not load it; its log lines above say why");
      }
      // Plugin-Class code runs here; a hang in it must not stall the host.
      PluginState state =
          probe.await(
              "start", loadId, manager.getPluginClassLoader(id), () -> manager.startPlugin(id));
      if (state != PluginState.STARTED) {
        PluginWrapper wrapper = manager.getPlugin(id);
        Throwable why = wrapper.getFailedException();
        throw new IllegalStateException(
            "PF4J could not start it (state " + state + ")" + (why == null ? "" : ": " + why), why);
      }
      Map<String, ProviderOffer> offers = offers();
      for (String type : offers.keySet()) {
        Optional<String> sameType = clashes.withType(type);
        if (sameType.isPresent()) {
          return refused(sameType.get(), true);
        }
      }
      return result(PluginStatus.STARTED, Optional.empty(), offers, false);
    }

    private PluginDescriptor descriptorOf(Path loadPath) {
      try {
        return manager.descriptorOf(loadPath);
      } catch (RuntimeException e) {
        // PF4J names the host's private copy; the operator knows the file by its own name.
        LOG.debugf(e, "Reading the descriptor of %s failed", file.path());
        throw new IllegalStateException(
            "it is neither a jar whose manifest has Plugin-Id and Plugin-Version nor a PF4J zip"
                + " with plugin.properties ("
                + Causes.describe(e).replace(loadPath.toString(), file.fileName())
                + ")");
      }
    }

    private Map<String, ProviderOffer> offers() {
      ClassLoader loader = manager.getPluginClassLoader(id);
      List<Class<? extends WorkerManagerProvider>> extensions =
          manager.getExtensionClasses(WorkerManagerProvider.class, id);
      if (extensions.isEmpty()) {
        throw new IllegalStateException(
            "it has no WorkerManagerProvider extension: build it with PF4J's annotation"
                + " processor so that META-INF/extensions.idx lists its @Extension classes, and"
                + " check the log for classes that failed to load");
      }
      Map<String, ProviderOffer> offers = new LinkedHashMap<>();
      for (Class<? extends WorkerManagerProvider> extension : extensions) {
        String type =
            probe.await(
                "describe " + extension.getName(),
                loadId,
                loader,
                () -> manager.getExtensionFactory().create(extension).describe().type());
        if (offers.containsKey(type)) {
          throw new IllegalStateException(
              "two of its providers offer the same type '" + type + "'");
        }
        offers.put(
            type,
            new ProviderOffer(loadId, id, version, type, extension, manager.getExtensionFactory()));
      }
      types = List.copyOf(offers.keySet());
      return offers;
    }

    private LoadedPlugin refused(String cause, boolean retryWhenOthersLeave) {
      undo();
      LOG.warnf("Plugin %s in %s REFUSED: %s", id, file.path(), cause);
      return result(PluginStatus.REFUSED, Optional.of(cause), Map.of(), retryWhenOthersLeave);
    }

    LoadedPlugin result(
        PluginStatus state,
        Optional<String> cause,
        Map<String, ProviderOffer> offers,
        boolean retryWhenOthersLeave) {
      return new LoadedPlugin(
          loadId,
          file,
          sha256,
          id,
          version,
          requires,
          types,
          offers,
          state,
          cause,
          state == PluginStatus.STARTED ? workFiles : List.of(),
          state == PluginStatus.STARTED && inManager,
          retryWhenOthersLeave);
    }

    void undo() {
      if (inManager) {
        try {
          unload(id);
        } catch (RuntimeException e) {
          LOG.warnf(e, "Could not unload plugin %s after its failed start", id);
        }
      }
      inManager = false;
      workFiles.forEach(PluginInstaller::deleteQuietly);
    }

    private Path unzip(Path zip) throws IOException {
      String name = zip.getFileName().toString();
      Path directory = zip.resolveSibling(name.substring(0, name.length() - ".zip".length()));
      workFiles.add(directory);
      new Unzip(zip.toFile(), directory.toFile()).extract();
      return directory;
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  /** Deletes a file or a directory tree; a leftover in the work directory is only logged. */
  static void deleteQuietly(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(path)) {
      for (Path each : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(each);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warnf(e, "Could not delete %s from the plugin work directory", path);
    }
  }
}
