package io.hodei.plugins.kubernetes;

/**
 * A change a platform team makes to every worker pod without forking the plugin: a label, a
 * sidecar, a volume, a priority class. One class per change.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (a {@code
 * META-INF/services/io.hodei.plugins.kubernetes.PodDecorator} file) in the plugin jar and in the
 * jars of the instance's {@code decoratorsDir}, and applied in the order the instance's {@code
 * decorators} setting names them, after the plugin's own defaults. They run on the host's provider
 * threads, possibly concurrently: keep them stateless.
 *
 * <p>This extension point is unstable: it may change with the plugin's minor versions.
 */
public interface PodDecorator {

  /** The name the {@code decorators} setting refers to, e.g. {@code cost-center}. */
  String name();

  /** Changes the worker's pod template in place. */
  void decorate(PodSpecContext context);
}
