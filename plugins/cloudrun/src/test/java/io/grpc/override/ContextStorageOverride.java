package io.grpc.override;

import io.grpc.Context;

/**
 * Stands for the gRPC context storage a host brings along (the server's gRPC stack has one). gRPC
 * looks this class up by name, so a plugin that bundles gRPC classes unrelocated would find the
 * host's and fail; {@code PluginJarIT} runs the packaged plugin with this one on the class path.
 */
public final class ContextStorageOverride extends Context.Storage {

  private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

  @Override
  public Context doAttach(Context toAttach) {
    Context previous = current();
    CURRENT.set(toAttach);
    return previous;
  }

  @Override
  public void detach(Context toDetach, Context toRestore) {
    CURRENT.set(toRestore == Context.ROOT ? null : toRestore);
  }

  @Override
  public Context current() {
    Context current = CURRENT.get();
    return current == null ? Context.ROOT : current;
  }
}
