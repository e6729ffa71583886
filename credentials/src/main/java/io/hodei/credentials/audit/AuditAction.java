package io.hodei.credentials.audit;

/** What the broker did with a secret. */
public enum AuditAction {
  /** A value was handed to a caller (from the cache or freshly read). */
  ISSUE,
  /** A backend lease was extended. */
  RENEW,
  /** A new version replaced the cached value and was pushed to subscribers. */
  ROTATE,
  /** The policy refused a caller. */
  DENY,
  /** A holder released its lease; the backend lease is revoked when no holder remains. */
  REVOKE,
  /** The backend could not serve a read, renewal or revocation. */
  FAIL,
  /** A person stored a new value or version through the API (the value is never recorded). */
  WRITE,
  /** A person deleted a secret through the API. */
  DELETE
}
