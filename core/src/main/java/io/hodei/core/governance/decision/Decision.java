package io.hodei.core.governance.decision;

import io.hodei.core.governance.snapshot.Reservation.Claim;
import java.util.List;
import java.util.Optional;

/** What the resource controller decided for one pending job. */
public sealed interface Decision {

  /** The job this decision is for. */
  String jobId();

  /**
   * Run the job on this idle worker, recording {@code claim} for its attempt.
   *
   * @param jobId the job
   * @param workerId the idle worker to give it
   * @param claim what to record in the ledger for the attempt
   */
  record Reuse(String jobId, String workerId, Claim claim) implements Decision {}

  /**
   * Start a new worker for the job, recording {@code claim} for its attempt before calling the
   * provider.
   *
   * @param jobId the job
   * @param claim the pool, provider instance, tenant and amounts to record
   * @param retireWorkerId an idle worker of the pool to retire first, whose room the new worker
   *     takes; empty when the pool has room
   */
  record Provision(String jobId, Claim claim, Optional<String> retireWorkerId)
      implements Decision {}

  /**
   * The job waits.
   *
   * @param jobId the job
   * @param reason what it waits on, with the numbers
   * @param rejections per candidate pool, why it did not take the job
   * @param position where the job stands in the queue
   */
  record Wait(String jobId, Refusal reason, List<PoolRejection> rejections, QueuePosition position)
      implements Decision {

    public Wait {
      rejections = List.copyOf(rejections);
    }

    /** The reason code. */
    public ReasonCode code() {
      return reason.code();
    }

    /** The reason for a person. */
    public String message() {
      return reason.message();
    }
  }
}
