package io.hodei.credentials;

import java.time.Instant;
import java.util.Optional;

/**
 * How long a backend lets a secret value be used.
 *
 * @param id the backend's lease id, used to renew and revoke; empty for values without one (a KV
 *     secret that is simply re-read)
 * @param expiresAt when the value stops working unless renewed
 * @param renewable whether the backend extends it on request
 * @param maxExpiresAt the hard limit past which renewal is refused and a new value must be issued
 */
public record Lease(
    Optional<String> id, Instant expiresAt, boolean renewable, Optional<Instant> maxExpiresAt) {}
