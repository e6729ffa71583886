package io.hodei.credentials.broker;

import io.hodei.credentials.Secret;
import io.hodei.credentials.SecretReference;
import java.time.Instant;

/**
 * A value the broker handed to one holder, until the holder releases it.
 *
 * @param id the broker's lease id (not the backend's), recorded in the audit log
 * @param reference what was fetched
 * @param secret the value; its {@code toString} never prints the fields
 * @param expiresAt when the broker will have replaced the value; fetch again after it
 * @param stale whether the backend could not be reached and this is the last good value
 */
public record BrokerLease(
    String id, SecretReference reference, Secret secret, Instant expiresAt, boolean stale) {}
