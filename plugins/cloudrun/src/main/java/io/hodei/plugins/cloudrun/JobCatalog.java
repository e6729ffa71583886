package io.hodei.plugins.cloudrun;

import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.run.v2.CreateJobRequest;
import com.google.cloud.run.v2.Job;
import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The worker jobs of one provider instance: made on first use, remembered so that later workers of
 * the same shape go straight to RunJob.
 */
final class JobCatalog {

  private final CloudRunSettings settings;
  private final CloudRunClients clients;
  private final Set<String> knownJobs = ConcurrentHashMap.newKeySet();

  JobCatalog(CloudRunSettings settings, CloudRunClients clients) {
    this.settings = settings;
    this.clients = clients;
  }

  /** The job is gone (deleted outside Hodei): look again next time. */
  void forget(String jobName) {
    knownJobs.remove(jobName);
  }

  /** Creates the worker's job unless this instance has seen it, or Cloud Run already holds it. */
  void ensure(WorkerJobs.JobRequest request) {
    CloudRunSettings s = settings;
    String jobName = request.fullName(s);
    if (knownJobs.contains(jobName)) {
      return;
    }
    Optional<Job> existing = getJob(jobName);
    if (existing.isEmpty()) {
      clients.call(
          "creating job " + jobName,
          c -> {
            try {
              c.jobs()
                  .createJobAsync(
                      CreateJobRequest.newBuilder()
                          .setParent(s.location())
                          .setJobId(request.jobId())
                          .setJob(request.job())
                          .build())
                  .get(s.operationTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
              StatusCode.Code code = CloudRunErrors.codeOf(e);
              if (code != StatusCode.Code.ABORTED && code != StatusCode.Code.ALREADY_EXISTS) {
                throw e;
              }
              // 409: a concurrent provision of the same shape created it first.
              awaitReady(jobName);
            }
            return null;
          });
    } else if (existing.get().getReconciling()) {
      try {
        awaitReady(jobName);
      } catch (InterruptedException e) {
        throw CloudRunErrors.translate(s.instanceName(), "waiting for job " + jobName, e);
      }
    }
    knownJobs.add(jobName);
  }

  private Optional<Job> getJob(String jobName) {
    return clients.call(
        "reading job " + jobName,
        c -> {
          try {
            return Optional.of(c.jobs().getJob(jobName));
          } catch (NotFoundException e) {
            return Optional.<Job>empty();
          }
        });
  }

  private void awaitReady(String jobName) throws InterruptedException {
    CloudRunSettings s = settings;
    long deadline = System.nanoTime() + s.operationTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Job> job = getJob(jobName);
      if (job.isPresent() && !job.get().getReconciling()) {
        return;
      }
      Thread.sleep(s.operationPollInterval().toMillis());
    }
    throw new ProviderException(
        ErrorCode.TIMEOUT,
        "provider instance '"
            + s.instanceName()
            + "': job "
            + jobName
            + " was still being created after "
            + s.operationTimeout()
            + " (operationTimeout)");
  }
}
