package io.hodei.core.governance.ledger;

import io.hodei.core.governance.snapshot.Reservation.Claim;

/**
 * An attempt that is running or starting, with what it should hold.
 *
 * @param attemptId the attempt
 * @param claim what it runs with and where
 */
public record LiveAttempt(String attemptId, Claim claim) {}
