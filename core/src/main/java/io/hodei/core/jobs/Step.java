package io.hodei.core.jobs;

/**
 * One command of a job, run with {@code /bin/sh -c}.
 *
 * @param name shown in logs and events
 * @param command the shell command
 */
public record Step(String name, String command) {}
