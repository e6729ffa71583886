package io.hodei.server.plugins;

import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.ProviderDescriptor;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerManagerProvider;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A provider instance that follows its plugin: bound to a provider object of the plugin's current
 * version, unbound (calls fail with {@code UNAVAILABLE}) while the plugin is absent or failed, and
 * bound again, with the same context, when a plugin offering its type starts.
 */
final class HostedProvider implements ManagedProvider {

  private static final Logger LOG = Logger.getLogger(HostedProvider.class);

  /** The provider object calls go to now, and the plugin load it came from. */
  private record Binding(ProviderOffer offer, WorkerManagerProvider provider) {}

  /** A provider object that initialized, with what it said it is. */
  private record Ready(WorkerManagerProvider provider, ProviderDescriptor descriptor) {}

  private final String type;
  private final ProviderContext context;
  private final ProviderCalls calls;
  private final Consumer<HostedProvider> onClose;
  private volatile ProviderDescriptor descriptor;
  private volatile Binding binding;
  private volatile String unavailable = "";
  private volatile boolean closed;

  HostedProvider(
      String type, ProviderContext context, ProviderCalls calls, Consumer<HostedProvider> onClose) {
    this.type = type;
    this.context = context;
    this.calls = calls;
    this.onClose = onClose;
  }

  /**
   * Creates a provider object from {@code offer}, initializes it with this instance's context and
   * sends every later call to it. Blocks for at most two call timeouts.
   *
   * @throws ProviderException whatever creating, describing or initializing it threw
   */
  synchronized void bind(ProviderOffer offer) {
    if (closed) {
      return;
    }
    long loadId = offer.loadId();
    ClassLoader loader = offer.loader();
    Ready ready =
        calls.await(
            "initialize",
            loadId,
            loader,
            () -> {
              WorkerManagerProvider fresh = offer.newProvider();
              ProviderDescriptor described = fresh.describe();
              initialize(fresh);
              return new Ready(fresh, described);
            });
    descriptor = ready.descriptor();
    binding = new Binding(offer, ready.provider());
    unavailable = "";
    LOG.infof(
        "Provider instance %s (type %s) runs on %s", context.instanceName(), type, offer.label());
  }

  /**
   * Initializes a fresh provider object with this instance's context. Whatever it throws concerns
   * this instance alone (most often its configuration), so it never reaches the host as {@code
   * INTERNAL}, the code that fails the whole plugin: a bad setting such as an overflowing duration
   * must not take the plugin away from every other instance. Only errors of the JVM itself pass.
   */
  private void initialize(WorkerManagerProvider fresh) {
    try {
      fresh.initialize(context);
    } catch (ProviderException e) {
      if (e.code() != ErrorCode.INTERNAL) {
        throw e;
      }
      throw refused(e);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (RuntimeException | Error e) {
      throw refused(e);
    }
  }

  private ProviderException refused(Throwable failure) {
    return new ProviderException(
        ErrorCode.INVALID_CONFIGURATION,
        "provider instance "
            + context.instanceName()
            + " (type "
            + type
            + ") could not be initialized with its configuration: "
            + Causes.describe(failure),
        failure);
  }

  /** Sends no more calls to the current provider object and closes it; {@code why} says why. */
  synchronized void unbind(String why) {
    Binding old = binding;
    binding = null;
    unavailable = why;
    if (old != null) {
      closeProvider(old);
    }
  }

  /** The plugin load this instance runs on now, or -1 when it is unbound. */
  long boundLoadId() {
    Binding current = binding;
    return current == null ? -1 : current.offer().loadId();
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public String instanceName() {
    return context.instanceName();
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public ProviderDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public CompletionStage<WorkerHandle> provision(WorkerSpec spec) {
    return call("provision", provider -> provider.provision(spec));
  }

  @Override
  public CompletionStage<WorkerStatus> status(WorkerHandle handle) {
    return call("status", provider -> provider.status(handle));
  }

  @Override
  public CompletionStage<Void> terminate(WorkerHandle handle, TerminationReason reason) {
    return call(
        "terminate",
        provider -> {
          provider.terminate(handle, reason);
          return null;
        });
  }

  @Override
  public CompletionStage<List<WorkerHandle>> list() {
    return call("list", provider -> List.copyOf(provider.list()));
  }

  @Override
  public CompletionStage<ProviderHealth> health() {
    return call("health", WorkerManagerProvider::health);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      unbind("provider instance " + instanceName() + " is closed");
    }
    calls.close();
    onClose.accept(this);
  }

  private <T> CompletableFuture<T> call(String name, Function<WorkerManagerProvider, T> body) {
    Binding current = binding;
    if (closed || current == null) {
      return CompletableFuture.failedFuture(
          new ProviderException(
              ErrorCode.UNAVAILABLE,
              "provider instance "
                  + instanceName()
                  + " (type "
                  + type
                  + ") cannot "
                  + name
                  + ": "
                  + unavailable));
    }
    return calls.submit(
        name,
        current.offer().loadId(),
        current.offer().loader(),
        () -> body.apply(current.provider()));
  }

  private void closeProvider(Binding old) {
    try {
      calls.await(
          "close",
          old.offer().loadId(),
          old.offer().loader(),
          () -> {
            old.provider().close();
            return null;
          });
    } catch (ProviderException e) {
      // Closing is best effort: the old plugin is going away whatever its provider says.
      LOG.warnf(
          "Provider instance %s (type %s) on %s did not close cleanly: %s",
          instanceName(), type, old.offer().label(), e.getMessage());
    }
  }
}
