package io.hodei.credentials.broker;

import java.util.Optional;

/**
 * What a fetch is for, recorded in the audit log: the job and the worker, when there are any.
 *
 * @param jobId the job the secret is fetched for
 * @param workerId the worker the secret is fetched for
 */
public record FetchContext(Optional<String> jobId, Optional<String> workerId) {

  private static final FetchContext NONE = new FetchContext(Optional.empty(), Optional.empty());

  public FetchContext {
    jobId = jobId == null ? Optional.empty() : jobId;
    workerId = workerId == null ? Optional.empty() : workerId;
  }

  /** A fetch for the caller itself (a provider instance building its client). */
  public static FetchContext none() {
    return NONE;
  }

  public static FetchContext job(String jobId) {
    return new FetchContext(Optional.of(jobId), Optional.empty());
  }

  public static FetchContext worker(String workerId) {
    return new FetchContext(Optional.empty(), Optional.of(workerId));
  }
}
