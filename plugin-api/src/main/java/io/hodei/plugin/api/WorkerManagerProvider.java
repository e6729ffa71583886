package io.hodei.plugin.api;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * A source of ephemeral workers: processes, containers, pods, cloud tasks. Implemented by provider
 * plugins and marked with PF4J's {@code @Extension}.
 *
 * <p><b>Lifecycle.</b> The host creates one instance per configured provider instance (for example
 * {@code k8s-prod-eu} of type {@code kubernetes}), calls {@link #describe()} at any time, then
 * {@link #initialize(ProviderContext)} exactly once before any other call except {@code describe},
 * and {@link #close()} exactly once at the end.
 *
 * <p><b>Threading.</b> The host calls a provider from a bounded executor that it owns, one per
 * provider instance, with a timeout on every call. Methods may block (network calls, process waits)
 * and may be called concurrently from several host threads; implementations must be thread-safe. A
 * call that overruns its timeout is abandoned by the host and the thread interrupted; the provider
 * must tolerate that.
 *
 * <p><b>Failures.</b> Every method reports failure with {@link ProviderException}, whose {@link
 * ProviderException.ErrorCode} tells the host whether a retry can help. Any other exception is
 * treated as {@link ProviderException.ErrorCode#INTERNAL}. A provider never takes the host down:
 * whatever it throws, the host marks the call failed and carries on.
 *
 * <p><b>Ownership.</b> Everything a provider creates must carry the labels of {@link
 * WorkerSpec#labels()}, so that {@link #list()} can find exactly the workers of this installation
 * after a restart, and never another installation's.
 *
 * <p>This interface is version {@code 1} of the plugin API ({@link PluginApi#VERSION}). It is
 * stable: changes are additive, and breaking ones bump the major version.
 */
public interface WorkerManagerProvider extends ExtensionPoint {

  /** What this provider type is and what it can offer. Cheap; callable before initialize. */
  ProviderDescriptor describe();

  /**
   * Prepares the provider instance: reads configuration, builds clients, fetches credentials.
   *
   * @throws ProviderException with {@code INVALID_CONFIGURATION} for bad settings, {@code
   *     AUTHENTICATION} for credentials the backend refuses
   */
  void initialize(ProviderContext context);

  /**
   * Starts one worker. Returns once the backend has accepted the request (the worker may still be
   * starting); the worker's agent then registers with the bootstrap token from the spec's
   * environment.
   *
   * @throws ProviderException with {@code RESOURCES_UNAVAILABLE} when the spec asks for more than
   *     this provider can ever offer, {@code CAPACITY_EXHAUSTED} when it is full right now
   */
  WorkerHandle provision(WorkerSpec spec);

  /** The backend's view of one worker. An unknown worker is {@link WorkerState#NOT_FOUND}. */
  WorkerStatus status(WorkerHandle handle);

  /**
   * Stops a worker and frees everything it holds. Idempotent: terminating a worker that is already
   * gone, or that this provider never knew, succeeds.
   */
  void terminate(WorkerHandle handle, TerminationReason reason);

  /**
   * Every worker this installation owns on this provider instance, running or not yet cleaned up.
   * The host compares it with its own records to find orphans after a crash.
   */
  List<WorkerHandle> list();

  /** Whether the backend is reachable and usable now. Should answer within a few seconds. */
  ProviderHealth health();

  /** Releases clients, threads and watches. Workers are left alone: the host terminates them. */
  void close();
}
