package io.hodei.plugins.support;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;

/**
 * Whether a provider instance may be called: {@code initialize} has finished and {@code close} has
 * not begun. The host calls an instance from several threads and may race a late call with its
 * close, so both facts are volatile and {@link #close()} answers {@code true} to one caller only.
 *
 * @param <S> the instance's parsed settings
 */
public final class InstanceState<S> {

  private volatile String instanceName;
  private volatile S settings;
  private volatile boolean closed;

  /** Marks the instance ready, with what its calls need. */
  public void opened(String instanceName, S settings) {
    this.instanceName = instanceName;
    this.settings = settings;
  }

  /** The settings if {@code initialize} has finished, else {@code null}; for {@code describe}. */
  public S settingsOrNull() {
    return settings;
  }

  /**
   * The settings, for a call that needs an open instance.
   *
   * @throws ProviderException {@code INTERNAL} before {@code initialize} or after {@code close}:
   *     the host broke the lifecycle, so a retry cannot help
   */
  public S require() {
    S s = settings;
    if (closed) {
      throw new ProviderException(
          ErrorCode.INTERNAL,
          "provider instance '" + (instanceName == null ? "?" : instanceName) + "' is closed");
    }
    if (s == null) {
      throw new ProviderException(ErrorCode.INTERNAL, "call initialize() first");
    }
    return s;
  }

  /**
   * Marks the instance closed.
   *
   * @return {@code true} for the first call only, which should release what the instance holds
   */
  public synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }
}
