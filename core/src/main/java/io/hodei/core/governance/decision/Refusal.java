package io.hodei.core.governance.decision;

import io.hodei.core.governance.snapshot.Dimension;
import java.util.Optional;

/**
 * Why something refuses a job, with the numbers that say so. The message is built only when asked
 * for, so a pass that refuses thousands of jobs builds no strings it does not show.
 *
 * @param code the reason
 * @param subject who refuses, as a person reads it: {@code pool 'gpu-eu'}, {@code tenant 'acme'
 *     quota}
 * @param dimension the dimension that does not fit, when the reason is about amounts
 * @param used what is in use in that dimension
 * @param limit the cap in that dimension
 * @param need what the job needs in that dimension
 * @param detail any further words, such as a provider's health detail; may be empty
 */
public record Refusal(
    ReasonCode code,
    String subject,
    Optional<Dimension> dimension,
    long used,
    long limit,
    long need,
    String detail) {

  /** A refusal that is not about amounts. */
  public static Refusal of(ReasonCode code, String subject, String detail) {
    return new Refusal(code, subject, Optional.empty(), 0, 0, 0, detail);
  }

  /** A refusal because {@code need} more does not fit under {@code limit} with {@code used}. */
  public static Refusal amounts(
      ReasonCode code, String subject, Dimension dimension, long used, long limit, long need) {
    return new Refusal(code, subject, Optional.of(dimension), used, limit, need, "");
  }

  /** The reason for a person, naming the dimension and the numbers. */
  public String message() {
    if (dimension.isEmpty()) {
      return subject + ": " + detail;
    }
    Dimension d = dimension.get();
    if (code == ReasonCode.TOO_LARGE_FOR_POOL || code == ReasonCode.TOO_LARGE_FOR_ANY_POOL) {
      return subject
          + " can never hold this job: "
          + d.label()
          + " at most "
          + d.format(limit)
          + ", this job needs "
          + d.format(need);
    }
    return subject
        + ": "
        + d.label()
        + " "
        + d.format(used)
        + " of "
        + d.format(limit)
        + " in use, this job needs "
        + d.format(need);
  }
}
