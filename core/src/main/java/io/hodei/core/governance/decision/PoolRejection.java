package io.hodei.core.governance.decision;

/**
 * Why one candidate pool did not take a job.
 *
 * @param pool the pool
 * @param refusal why
 */
public record PoolRejection(String pool, Refusal refusal) {}
