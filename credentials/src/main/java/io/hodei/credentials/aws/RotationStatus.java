package io.hodei.credentials.aws;

import java.time.Instant;
import java.util.Optional;

/**
 * A secret's rotation as Secrets Manager describes it.
 *
 * @param enabled whether rotation is on
 * @param lastRotated when it last rotated
 * @param nextRotation when it is due next
 * @param currentVersion the version id staged AWSCURRENT, the one served
 * @param pendingVersion a version staged AWSPENDING only: a rotation is under way and is not served
 *     until it becomes AWSCURRENT
 */
public record RotationStatus(
    boolean enabled,
    Optional<Instant> lastRotated,
    Optional<Instant> nextRotation,
    Optional<String> currentVersion,
    Optional<String> pendingVersion) {}
