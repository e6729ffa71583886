package io.hodei.agent.jobs;

/** The job attempt the agent is running, as Attach and Heartbeat report it. */
public record RunningJob(String jobId, int attempt) {}
