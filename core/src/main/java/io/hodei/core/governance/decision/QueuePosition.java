package io.hodei.core.governance.decision;

/**
 * Where a job stands in the queue, counting from 1.
 *
 * @param overall among all pending jobs
 * @param inTenant among its tenant's pending jobs
 */
public record QueuePosition(int overall, int inTenant) {}
