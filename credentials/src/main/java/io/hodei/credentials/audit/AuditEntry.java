package io.hodei.credentials.audit;

import io.hodei.credentials.SecretReference;
import io.hodei.credentials.policy.Caller;
import java.time.Instant;
import java.util.Optional;

/**
 * One audited access to a secret. Holds who, what and when, never the value.
 *
 * @param at when it happened
 * @param action what the broker did
 * @param caller who asked; empty when the broker acted on its own (a scheduled renewal)
 * @param reference which secret
 * @param leaseId the broker lease concerned, when there is one
 * @param jobId the job the access was for, if any
 * @param workerId the worker the access was for, if any
 * @param outcome how it ended
 * @param detail a human-readable note (the reason of a denial or failure, the new version)
 */
public record AuditEntry(
    Instant at,
    AuditAction action,
    Optional<Caller> caller,
    SecretReference reference,
    Optional<String> leaseId,
    Optional<String> jobId,
    Optional<String> workerId,
    AuditOutcome outcome,
    String detail) {}
