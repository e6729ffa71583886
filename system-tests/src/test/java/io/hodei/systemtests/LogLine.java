package io.hodei.systemtests;

/** One stored line of a job's log, as {@code GET /api/v1/jobs/{id}/logs} returns it. */
public record LogLine(
    int attempt, long sequence, String stream, String step, String text, String at) {}
