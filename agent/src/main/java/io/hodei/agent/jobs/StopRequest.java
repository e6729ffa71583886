package io.hodei.agent.jobs;

import io.hodei.protocol.v1.JobOutcome;
import java.time.Duration;

/** Why a running job is being stopped before its steps are done, and how gently. */
record StopRequest(JobOutcome outcome, String message, Duration grace) {}
