package io.hodei.credentials;

/**
 * Where secret values live: Vault, AWS Secrets Manager, the embedded store. Implementations talk to
 * their service and nothing else: caching, retries, policy and audit belong to the broker. Methods
 * may block; each failure is a {@link BackendException} whose kind says whether a retry can help.
 */
public interface SecretBackend extends AutoCloseable {

  /** The scheme that references to this backend start with, e.g. {@code vault}. */
  String scheme();

  /** The current value behind {@code reference}. */
  Secret read(SecretReference reference);

  /**
   * Extends the lease of a value read earlier; returns the value with its new lease. Fails with
   * kind {@code LEASE_EXPIRED} when the lease is past its maximum and a new value must be read.
   */
  Secret renew(Secret secret);

  /** Ends a value's lease early (dynamic secrets are destroyed). Idempotent. */
  void revoke(Secret secret);

  @Override
  void close();
}
