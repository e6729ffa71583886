package io.hodei.plugins.kubernetes;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The decorators one provider instance applies, in the order its settings name them. */
final class PodDecorators implements AutoCloseable {

  private final List<PodDecorator> chain;
  private final URLClassLoader extraJars;

  private PodDecorators(List<PodDecorator> chain, URLClassLoader extraJars) {
    this.chain = List.copyOf(chain);
    this.extraJars = extraJars;
  }

  static PodDecorators none() {
    return new PodDecorators(List.of(), null);
  }

  /**
   * Finds the decorators named in {@code names} in the plugin's class loader and, when {@code
   * directory} is set, in its jars (a loader whose parent is the plugin's, so decorators compile
   * against this plugin and its fabric8 model, and see the same classes at run time).
   */
  static PodDecorators load(String instanceName, List<String> names, Path directory) {
    if (names.isEmpty()) {
      return none();
    }
    ClassLoader pluginLoader = PodDecorator.class.getClassLoader();
    URLClassLoader extra = directory == null ? null : jarsIn(instanceName, directory, pluginLoader);
    Map<String, PodDecorator> found = new TreeMap<>();
    try {
      ServiceLoader.load(PodDecorator.class, extra != null ? extra : pluginLoader)
          .forEach(d -> found.putIfAbsent(d.name(), d));
    } catch (ServiceConfigurationError e) {
      throw invalid(instanceName, "a pod decorator could not be loaded: " + e.getMessage(), e);
    }
    List<PodDecorator> chain = new ArrayList<>();
    for (String name : names) {
      PodDecorator decorator = found.get(name);
      if (decorator == null) {
        throw invalid(
            instanceName,
            "setting 'decorators' names '"
                + name
                + "', which is not among the decorators found: "
                + found.keySet()
                + (directory == null
                    ? " (no 'decoratorsDir' set)"
                    : " (looked in " + directory + ")"),
            null);
      }
      chain.add(decorator);
    }
    return new PodDecorators(chain, extra);
  }

  void apply(PodSpecContext context) {
    for (PodDecorator decorator : chain) {
      try {
        decorator.decorate(context);
      } catch (RuntimeException e) {
        throw new ProviderException(
            ErrorCode.INTERNAL,
            "pod decorator '" + decorator.name() + "' failed: " + e.getMessage(),
            e);
      }
    }
  }

  List<String> names() {
    return chain.stream().map(PodDecorator::name).toList();
  }

  private static URLClassLoader jarsIn(String instanceName, Path directory, ClassLoader parent) {
    if (!Files.isDirectory(directory)) {
      throw invalid(
          instanceName, "setting 'decoratorsDir' " + directory + " is not a directory", null);
    }
    try (Stream<Path> files = Files.list(directory)) {
      List<URL> jars = new ArrayList<>();
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        jars.add(jar.toUri().toURL());
      }
      return new URLClassLoader(jars.toArray(URL[]::new), parent);
    } catch (MalformedURLException e) {
      throw invalid(instanceName, "a jar in 'decoratorsDir' has no usable path: " + e, e);
    } catch (IOException e) {
      throw invalid(instanceName, "cannot read 'decoratorsDir' " + directory + ": " + e, e);
    }
  }

  private static ProviderException invalid(String instanceName, String problem, Throwable cause) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION,
        "provider instance '" + instanceName + "': " + problem,
        cause);
  }

  @Override
  public void close() throws IOException {
    if (extraJars != null) {
      extraJars.close();
    }
  }
}
