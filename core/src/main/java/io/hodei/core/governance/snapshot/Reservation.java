package io.hodei.core.governance.snapshot;

import io.hodei.plugin.api.Resources;

/**
 * What one admitted attempt holds in the ledger: its resources and one worker, counted against its
 * pool, its provider instance and its tenant.
 *
 * @param attemptId the attempt that holds it
 * @param claim what it holds and where
 */
public record Reservation(String attemptId, Claim claim) {

  /**
   * An amount held against a pool, its provider instance and a tenant.
   *
   * @param pool the pool
   * @param providerInstance the pool's provider instance
   * @param tenant the job's tenant
   * @param resources cpu, memory and GPUs; one worker and one running job come with every claim
   */
  public record Claim(String pool, String providerInstance, String tenant, Resources resources) {

    /** The claim in every dimension. */
    public Amounts amounts() {
      return Amounts.ofAttempt(resources);
    }
  }
}
