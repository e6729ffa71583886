package io.hodei.credentials.audit;

/** How an audited action ended. */
public enum AuditOutcome {
  SUCCESS,
  /** Served the last good value while the backend could not be reached. */
  STALE,
  DENIED,
  FAILED
}
