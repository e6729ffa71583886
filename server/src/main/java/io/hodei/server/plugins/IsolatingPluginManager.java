package io.hodei.server.plugins;

import io.hodei.plugin.api.WorkerManagerProvider;
import java.net.URL;
import java.nio.file.Path;
import java.util.Enumeration;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginFactory;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.Plugin;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginFactory;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginStatusProvider;

/**
 * PF4J's plugin manager, adapted to run inside Quarkus.
 *
 * <p>Each plugin's class loader has the loader of the plugin API as its parent, not the loader that
 * loaded PF4J: under Quarkus's test and dev class loaders the latter cannot see application
 * classes, and plugins then fail with {@code NoClassDefFoundError} for the SPI. Classes load
 * plugin-first, so that a plugin's own libraries (grpc, protobuf, a cloud SDK) win over the host's,
 * except the plugin API and PF4J, which always come from the host so that both sides agree on the
 * SPI types.
 *
 * <p>Not thread-safe, like PF4J itself: the host calls it under its own lock.
 */
final class IsolatingPluginManager extends DefaultPluginManager {

  private static final String API_PACKAGE = WorkerManagerProvider.class.getPackageName() + ".";
  private static final String API_RESOURCES = API_PACKAGE.replace('.', '/');

  IsolatingPluginManager(Path pluginsDirectory, String systemVersion) {
    super(pluginsDirectory);
    setSystemVersion(systemVersion);
  }

  /** Reads the plugin's descriptor (manifest or plugin.properties) without loading any class. */
  PluginDescriptor descriptorOf(Path path) {
    return getPluginDescriptorFinder().find(path);
  }

  @Override
  protected PluginLoader createPluginLoader() {
    return new CompoundPluginLoader()
        .add(
            new JarPluginLoader(this) {
              @Override
              protected PluginClassLoader createPluginClassLoader(
                  Path path, PluginDescriptor descriptor) {
                return new ApiFromHostClassLoader(pluginManager, descriptor);
              }
            })
        .add(
            new DefaultPluginLoader(this) {
              @Override
              protected PluginClassLoader createPluginClassLoader(
                  Path path, PluginDescriptor descriptor) {
                return new ApiFromHostClassLoader(pluginManager, descriptor);
              }
            });
  }

  /** Plugin-Class is optional: a provider plugin needs no lifecycle hooks of its own. */
  @Override
  protected PluginFactory createPluginFactory() {
    DefaultPluginFactory standard = new DefaultPluginFactory();
    return wrapper -> {
      String pluginClass = wrapper.getDescriptor().getPluginClass();
      if (pluginClass == null
          || pluginClass.isBlank()
          || pluginClass.equals(Plugin.class.getName())) {
        return new Plugin() {};
      }
      Plugin plugin = standard.create(wrapper);
      if (plugin == null) {
        throw new PluginRuntimeException(
            "cannot create Plugin-Class "
                + pluginClass
                + " of plugin "
                + wrapper.getPluginId()
                + ": it must exist in the plugin, extend org.pf4j.Plugin and have a public"
                + " constructor");
      }
      return plugin;
    };
  }

  /** The directory decides what is enabled, not PF4J's enabled.txt and disabled.txt. */
  @Override
  protected PluginStatusProvider createPluginStatusProvider() {
    return new PluginStatusProvider() {
      @Override
      public boolean isPluginDisabled(String pluginId) {
        return false;
      }

      @Override
      public void disablePlugin(String pluginId) {
        throw new UnsupportedOperationException("remove the plugin's file to disable it");
      }

      @Override
      public void enablePlugin(String pluginId) {
        // Every plugin in the directory is enabled already.
      }
    };
  }

  /** Plugin-first class loading with the plugin API always taken from the host. */
  private static final class ApiFromHostClassLoader extends PluginClassLoader {

    ApiFromHostClassLoader(PluginManager manager, PluginDescriptor descriptor) {
      super(
          manager,
          descriptor,
          WorkerManagerProvider.class.getClassLoader(),
          ClassLoadingStrategy.PDA);
    }

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
      if (className.startsWith(API_PACKAGE)) {
        return getParent().loadClass(className);
      }
      return super.loadClass(className);
    }

    @Override
    public URL getResource(String name) {
      if (name.startsWith(API_RESOURCES)) {
        return getParent().getResource(name);
      }
      return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws java.io.IOException {
      if (name.startsWith(API_RESOURCES)) {
        return getParent().getResources(name);
      }
      return super.getResources(name);
    }
  }
}
