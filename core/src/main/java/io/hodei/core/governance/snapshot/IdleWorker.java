package io.hodei.core.governance.snapshot;

import io.hodei.plugin.api.Resources;
import java.time.Instant;
import java.util.Optional;

/**
 * A ready reusable worker without a job; it holds its resources and one worker in its pool and
 * provider instance until it is reused or retired.
 *
 * @param id the worker's id
 * @param pool its pool
 * @param image the image it runs, for providers that run images
 * @param resources its size
 * @param jobsLeft jobs it may still run
 * @param lifetimeEnd when it is terminated whatever it is doing
 */
public record IdleWorker(
    String id,
    String pool,
    Optional<String> image,
    Resources resources,
    int jobsLeft,
    Instant lifetimeEnd) {}
