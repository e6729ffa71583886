package io.hodei.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.decision.ReasonCode;
import java.util.List;

/**
 * Why a pending job waits, as the API shows it and the job's row keeps it.
 *
 * @param code the reason code, such as {@code TENANT_QUOTA}
 * @param message the reason for a person, with the dimension and the numbers
 * @param pools per candidate pool, why it did not take the job
 * @param queuePosition the job's place among all pending jobs, from 1
 * @param tenantQueuePosition its place among its tenant's pending jobs, from 1
 */
public record WaitReason(
    ReasonCode code,
    String message,
    List<PoolReason> pools,
    int queuePosition,
    int tenantQueuePosition) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Why one pool did not take the job. */
  public record PoolReason(String pool, ReasonCode code, String message) {}

  public static WaitReason of(Decision.Wait wait) {
    return new WaitReason(
        wait.code(),
        wait.message(),
        wait.rejections().stream()
            .map(r -> new PoolReason(r.pool(), r.refusal().code(), r.refusal().message()))
            .toList(),
        wait.position().overall(),
        wait.position().inTenant());
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a wait reason as JSON", e);
    }
  }

  /** The stored reason; null when there is none or it cannot be read. */
  public static WaitReason read(String json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readValue(json, WaitReason.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
