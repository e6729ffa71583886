package io.hodei.core.workers;

import io.hodei.plugin.api.WorkerHandle;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, after a restart, what becomes of workers whose provision call the previous run made but
 * never saw answered: the worker row was committed, then the server died before it recorded the
 * provider's resource id. The provider's own list settles it: a worker it has is adopted, one it
 * does not have was never started, so its job is retried now rather than at the provisioning
 * deadline.
 */
public final class UnconfirmedWorkers {

  private UnconfirmedWorkers() {}

  /** What to do with one unconfirmed worker. */
  public sealed interface Decision {
    String workerId();
  }

  /** The provider has it: record its handle and let it register as usual. */
  public record Adopt(String workerId, WorkerHandle handle) implements Decision {}

  /** The provider does not have it: fail this provision attempt, so the job is retried. */
  public record Retry(String workerId, String reason) implements Decision {}

  /**
   * @param instance the provider instance, for the reason shown to users
   * @param unconfirmed ids of its PROVISIONING workers that have no resource id, written by an
   *     earlier run of the server
   * @param listed what the instance's {@code list()} answered
   * @return one decision per unconfirmed worker, in the order given
   */
  public static List<Decision> decide(
      String instance, Collection<String> unconfirmed, List<WorkerHandle> listed) {
    Map<String, WorkerHandle> byWorker = new LinkedHashMap<>();
    listed.forEach(handle -> byWorker.putIfAbsent(handle.workerId(), handle));
    return unconfirmed.stream()
        .distinct()
        .<Decision>map(
            id ->
                byWorker.containsKey(id)
                    ? new Adopt(id, byWorker.get(id))
                    : new Retry(
                        id,
                        "the server stopped before provider "
                            + instance
                            + " confirmed worker "
                            + id
                            + ", and the provider does not have it"))
        .toList();
  }
}
