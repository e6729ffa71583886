package io.hodei.core.governance.decision;

/**
 * Why a job waits, or why one pool was passed over. Codes a job can wait on are listed from the
 * nearest to the farthest: when every candidate pool refuses a job, it waits on the nearest reason
 * among them, the one most likely to clear first.
 */
public enum ReasonCode {
  /** The job is between attempts until its backoff ends. */
  BACKOFF,
  /** Its tenant holds its quota, overall or in pools with some label; it runs once some frees. */
  TENANT_QUOTA,
  /** The pool holds all it may; the job runs once some frees. */
  POOL_FULL,
  /** The pool's provider instance holds all it may, over all its pools. */
  PROVIDER_LIMIT,
  /** The pool's provider instance is unhealthy. */
  PROVIDER_UNHEALTHY,
  /** The pool's provider instance is not open (missing, failed, or its plugin is not loaded). */
  PROVIDER_UNAVAILABLE,
  /**
   * The pool is shared by every tenant, but its provider's workers are not isolated from each
   * other; an operator must give it a tenant or allow it.
   */
  POOL_UNISOLATED,
  /** The pool is draining and admits nothing new. */
  POOL_DRAINING,
  /** The pool is disabled. */
  POOL_DISABLED,
  /** The job needs more than this pool, or its provider, could ever hold. */
  TOO_LARGE_FOR_POOL,
  /** Every candidate pool is too small for the job; it waits until one grows. */
  TOO_LARGE_FOR_ANY_POOL,
  /** No pool has the name the job gives, or carries all of its selector's labels. */
  NO_MATCHING_POOL
}
