package io.hodei.server.plugins;

import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The plugin host over one plugins directory: loads what is there at start, then follows the
 * directory while the server runs. A new file is loaded, a removed one unloaded, a changed one
 * reloaded; open provider instances follow their type from one plugin load to the next.
 *
 * <p>All plugin lifecycle work (scans, loads, failures) happens under one lock, mostly on one
 * thread of its own; PF4J is not thread-safe. Readers ({@link #plugins()}, {@link
 * #providerTypes()}) see an immutable snapshot and never wait for it.
 */
public final class DirectoryPluginHost implements PluginHost, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(DirectoryPluginHost.class);

  private final PluginHostSettings settings;
  private final PluginsDirectory directory;
  private final IsolatingPluginManager manager;
  private final PluginInstaller installer;
  private final ScheduledExecutorService lifecycle;
  private final ScheduledExecutorService timer;
  private final ProviderCalls probe;
  private final Object lock = new Object();
  private final Map<Path, LoadedPlugin> loaded = new HashMap<>();
  private final Set<HostedProvider> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong loads = new AtomicLong();
  private volatile List<PluginInfo> snapshot = List.of();
  private volatile Set<String> types = Set.of();
  private volatile boolean closed;

  DirectoryPluginHost(PluginHostSettings settings, Clock clock) {
    Path work = settings.workDirectory().toAbsolutePath().normalize();
    if (settings.directory().toAbsolutePath().normalize().startsWith(work)) {
      throw new IllegalArgumentException(
          "hodei.plugins.work-dir ("
              + work
              + ") must not contain the plugins directory: the host empties it at start");
    }
    this.settings = settings;
    this.directory = new PluginsDirectory(settings.directory(), settings.quietPeriod(), clock);
    this.manager = new IsolatingPluginManager(settings.directory(), PluginApi.VERSION);
    this.lifecycle = Executors.newSingleThreadScheduledExecutor(daemon("hodei-plugins"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("hodei-provider-deadlines"));
    this.probe = new ProviderCalls("plugin host", settings, timer, this::hung);
    this.installer =
        new PluginInstaller(
            settings,
            manager,
            new ApiCompatibility(PluginApi.VERSION, manager.getVersionManager()),
            probe);
  }

  /** Creates the directory, loads what is in it now, then scans it for changes. */
  void start() {
    directory.ensureExists();
    emptyWorkDirectory();
    if (settings.allowList().enabled()) {
      LOG.infof(
          "Plugin checksum allow-list is on: only files listed in %s load", ChecksumAllowList.KEY);
    }
    scanNow();
    long interval = settings.scanInterval().toMillis();
    lifecycle.scheduleWithFixedDelay(this::scanSafely, interval, interval, TimeUnit.MILLISECONDS);
    LOG.infof(
        "Watching %s for provider plugins (plugin API %s)", directory.path(), PluginApi.VERSION);
  }

  @Override
  public List<PluginInfo> plugins() {
    return snapshot;
  }

  @Override
  public Set<String> providerTypes() {
    return types;
  }

  @Override
  public ManagedProvider open(String type, ProviderContext context) {
    synchronized (lock) {
      if (closed) {
        throw new ProviderException(ErrorCode.UNAVAILABLE, "the plugin host is shut down");
      }
      ProviderOffer offer = offerFor(type).orElseThrow(() -> notOffered(type));
      HostedProvider provider =
          new HostedProvider(
              type,
              context,
              new ProviderCalls(
                  "provider instance " + context.instanceName(), settings, timer, this::hung),
              open::remove);
      try {
        provider.bind(offer);
      } catch (ProviderException e) {
        provider.close();
        // INTERNAL comes only from creating or describing a provider object, which no instance's
        // settings influence: the plugin itself is broken. Initialize failures are the instance's.
        if (e.code() == ErrorCode.INTERNAL) {
          fail(offer.loadId(), e.getMessage());
        }
        throw e;
      }
      open.add(provider);
      return provider;
    }
  }

  /** Scans the directory once, now, and acts on what changed. */
  void scanNow() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      PluginsDirectory.Snapshot now = directory.scan();
      boolean someLeft = false;
      for (Path path : List.copyOf(loaded.keySet())) {
        if (!now.present().contains(path)) {
          remove(path, "its file was removed from " + directory.path());
          someLeft = true;
        }
      }
      for (PluginFile file : now.settled()) {
        LoadedPlugin known = loaded.get(file.path());
        if (known != null && known.file().equals(file)) {
          continue;
        }
        if (known != null) {
          remove(file.path(), "its file was replaced");
          someLeft = true;
        }
        load(file);
      }
      if (someLeft) {
        retryClashes();
      }
      publish();
    }
  }

  /** Closes every provider instance, stops every plugin and stops watching. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    lifecycle.shutdownNow();
    List.copyOf(open).forEach(HostedProvider::close);
    synchronized (lock) {
      for (Map.Entry<Path, LoadedPlugin> entry : loaded.entrySet()) {
        LoadedPlugin plugin = entry.getValue();
        if (plugin.state() == PluginStatus.STARTED) {
          installer.uninstall(plugin);
          entry.setValue(plugin.stopped());
          LOG.infof("Stopped plugin %s %s", plugin.id(), plugin.version());
        }
      }
      publish();
    }
    probe.close();
    timer.shutdownNow();
  }

  private void load(PluginFile file) {
    long started = System.nanoTime();
    LoadedPlugin plugin = installer.install(file, loads.incrementAndGet(), clashesFor(file.path()));
    loaded.put(file.path(), plugin);
    if (plugin.state() != PluginStatus.STARTED) {
      return;
    }
    LOG.infof(
        "Loaded plugin %s %s from %s in %d ms, offering provider types %s",
        plugin.id(),
        plugin.version(),
        file.fileName(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        plugin.providerTypes());
    rebindWaitingInstances(plugin);
  }

  private void remove(Path path, String why) {
    LoadedPlugin plugin = loaded.remove(path);
    if (plugin == null || plugin.state() != PluginStatus.STARTED) {
      return;
    }
    unbindInstances(
        plugin.loadId(),
        "plugin "
            + plugin.id()
            + " is gone ("
            + why
            + "); calls fail until a plugin offering this type is installed");
    installer.uninstall(plugin);
    LOG.infof("Unloaded plugin %s %s: %s", plugin.id(), plugin.version(), why);
  }

  /** Marks a started plugin FAILED, detaches its instances and unloads it. Idempotent. */
  private void fail(long loadId, String cause) {
    synchronized (lock) {
      Optional<LoadedPlugin> match =
          loaded.values().stream()
              .filter(p -> p.loadId() == loadId && p.state() == PluginStatus.STARTED)
              .findFirst();
      if (match.isEmpty()) {
        return;
      }
      LoadedPlugin plugin = match.get();
      String full =
          cause
              + "; the host stopped using plugin "
              + plugin.id()
              + ": fix it, then replace or touch "
              + plugin.file().fileName()
              + " to load it again";
      LOG.errorf("Plugin %s %s FAILED: %s", plugin.id(), plugin.version(), full);
      unbindInstances(loadId, "plugin " + plugin.id() + " is FAILED: " + full);
      installer.uninstall(plugin);
      loaded.put(plugin.file().path(), plugin.failed(full));
      publish();
    }
  }

  /** A call into a plugin ignored its interruption after an overrun: the plugin hangs. */
  private void hung(long loadId, String what) {
    try {
      lifecycle.execute(() -> fail(loadId, what));
    } catch (RejectedExecutionException e) {
      LOG.debugf("Host is shutting down; not failing the plugin behind: %s", what);
    }
  }

  private void rebindWaitingInstances(LoadedPlugin plugin) {
    String internalFailure = null;
    for (HostedProvider provider : open) {
      ProviderOffer offer = plugin.offers().get(provider.type());
      if (offer == null || provider.isClosed() || provider.boundLoadId() != -1) {
        continue;
      }
      try {
        provider.bind(offer);
      } catch (ProviderException e) {
        provider.unbind("initializing it again on " + offer.label() + " failed: " + e.getMessage());
        if (e.code() == ErrorCode.INTERNAL) {
          internalFailure = e.getMessage();
        }
      }
    }
    if (internalFailure != null) {
      fail(plugin.loadId(), internalFailure);
    }
  }

  private void unbindInstances(long loadId, String why) {
    for (HostedProvider provider : open) {
      if (provider.boundLoadId() == loadId) {
        provider.unbind(why);
      }
    }
  }

  /** Plugins refused for clashing with another may load once that other one has left. */
  private void retryClashes() {
    List<LoadedPlugin> waiting =
        loaded.values().stream().filter(LoadedPlugin::retryWhenOthersLeave).toList();
    for (LoadedPlugin plugin : waiting) {
      loaded.remove(plugin.file().path());
      load(plugin.file());
    }
  }

  private PluginInstaller.Clashes clashesFor(Path file) {
    return new PluginInstaller.Clashes() {
      @Override
      public Optional<String> withId(String pluginId) {
        return started()
            .filter(p -> !p.file().path().equals(file) && p.id().equals(pluginId))
            .findFirst()
            .map(
                p ->
                    "plugin id "
                        + pluginId
                        + " is already loaded from "
                        + p.file().fileName()
                        + "; remove one of the two files");
      }

      @Override
      public Optional<String> withType(String type) {
        return started()
            .filter(p -> !p.file().path().equals(file) && p.offers().containsKey(type))
            .findFirst()
            .map(
                p ->
                    "provider type '"
                        + type
                        + "' is already offered by plugin "
                        + p.id()
                        + " ("
                        + p.file().fileName()
                        + "); remove one of the two files");
      }
    };
  }

  private Stream<LoadedPlugin> started() {
    return loaded.values().stream().filter(p -> p.state() == PluginStatus.STARTED);
  }

  private Optional<ProviderOffer> offerFor(String type) {
    return started().map(p -> p.offers().get(type)).filter(o -> o != null).findFirst();
  }

  private ProviderException notOffered(String type) {
    StringBuilder message =
        new StringBuilder("no started plugin offers provider type '")
            .append(type)
            .append("'; types on offer: ")
            .append(new TreeSet<>(types));
    loaded.values().stream()
        .filter(p -> p.state() != PluginStatus.STARTED && p.providerTypes().contains(type))
        .forEach(
            p ->
                message
                    .append("; plugin ")
                    .append(p.id())
                    .append(" offers it but is ")
                    .append(p.state())
                    .append(": ")
                    .append(p.failureCause().orElse("")));
    return new ProviderException(ErrorCode.INVALID_CONFIGURATION, message.toString());
  }

  private void publish() {
    snapshot =
        loaded.values().stream()
            .map(LoadedPlugin::info)
            .sorted(Comparator.comparing(PluginInfo::id).thenComparing(PluginInfo::path))
            .toList();
    Set<String> offered = new TreeSet<>();
    started().forEach(p -> offered.addAll(p.offers().keySet()));
    types = Set.copyOf(offered);
  }

  private void scanSafely() {
    try {
      scanNow();
    } catch (RuntimeException | LinkageError e) {
      // A failed scan must not end the schedule: the next one tries again.
      LOG.errorf(e, "Scanning %s for plugins failed; retrying", directory.path());
    }
  }

  /** The work directory holds only this host's copies; leftovers of an earlier run go. */
  private void emptyWorkDirectory() {
    Path work = settings.workDirectory();
    try {
      Files.createDirectories(work);
      try (Stream<Path> children = Files.list(work)) {
        children.forEach(PluginInstaller::deleteQuietly);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot prepare the plugin work directory "
              + work
              + "; make it writable or set hodei.plugins.work-dir",
          e);
    }
  }

  private static ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
