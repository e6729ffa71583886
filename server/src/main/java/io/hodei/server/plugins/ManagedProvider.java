package io.hodei.server.plugins;

import io.hodei.plugin.api.ProviderDescriptor;
import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.plugin.api.WorkerStatus;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A provider instance as the control plane sees it: every call runs on the instance's own bounded
 * executor with a timeout, and completes exceptionally with a {@link
 * io.hodei.plugin.api.ProviderException} (code {@code TIMEOUT} for an overrun, {@code INTERNAL} for
 * anything the provider threw that was not a {@code ProviderException}). No call ever blocks the
 * caller's thread.
 */
public interface ManagedProvider extends AutoCloseable {

  String instanceName();

  String type();

  ProviderDescriptor descriptor();

  CompletionStage<WorkerHandle> provision(WorkerSpec spec);

  CompletionStage<WorkerStatus> status(WorkerHandle handle);

  CompletionStage<Void> terminate(WorkerHandle handle, TerminationReason reason);

  CompletionStage<List<WorkerHandle>> list();

  CompletionStage<ProviderHealth> health();

  /**
   * Closes the provider and its executor. Idempotent. Waits at most the call timeout for the
   * provider's own {@code close}.
   */
  @Override
  void close();
}
