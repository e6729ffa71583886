package io.hodei.agent.logs;

import io.hodei.protocol.v1.LogBatch;
import io.hodei.protocol.v1.LogLine;
import io.hodei.protocol.v1.LogStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Numbers, masks and batches the log lines of one job attempt. A batch goes out when it holds
 * {@code maxLines} lines or when {@link #flush()} is called, which the job runner does on a short
 * timer. Sequences start at 1 and have no gaps: a line's number is taken when it is added, under
 * the same lock that orders the batches.
 */
public final class LogBatcher {

  /** Longer lines are cut into pieces, so one runaway line cannot exhaust memory or a message. */
  public static final int MAX_LINE_CHARS = 16 * 1024;

  private final String jobId;
  private final int attempt;
  private final LogMasker masker;
  private final Consumer<LogBatch> sink;
  private final int maxLines;
  private final LongSupplier clockMillis;
  private List<LogLine> pending = new ArrayList<>();
  private long sequence;
  private boolean closed;

  public LogBatcher(
      String jobId,
      int attempt,
      LogMasker masker,
      Consumer<LogBatch> sink,
      int maxLines,
      LongSupplier clockMillis) {
    this.jobId = jobId;
    this.attempt = attempt;
    this.masker = masker;
    this.sink = sink;
    this.maxLines = maxLines;
    this.clockMillis = clockMillis;
  }

  /** A line the agent writes itself ("step build started"). */
  public void system(String text) {
    add(LogStream.SYSTEM, "", text);
  }

  /** Adds a line; lines arriving after {@link #close()} are dropped (a straggling pipe reader). */
  public synchronized void add(LogStream stream, String step, String text) {
    if (closed) {
      return;
    }
    String masked = masker.mask(text);
    long now = clockMillis.getAsLong();
    int start = 0;
    do {
      int end = Math.min(masked.length(), start + MAX_LINE_CHARS);
      pending.add(
          LogLine.newBuilder()
              .setSequence(++sequence)
              .setStream(stream)
              .setText(masked.substring(start, end))
              .setTimestampMillis(now)
              .setStep(step)
              .build());
      if (pending.size() >= maxLines) {
        flush();
      }
      start = end;
    } while (start < masked.length());
  }

  public synchronized void flush() {
    if (pending.isEmpty()) {
      return;
    }
    List<LogLine> lines = pending;
    pending = new ArrayList<>();
    sink.accept(
        LogBatch.newBuilder().setJobId(jobId).setAttempt(attempt).addAllLines(lines).build());
  }

  /** Sends what is pending and accepts no more lines. */
  public synchronized void close() {
    flush();
    closed = true;
  }

  /** The sequence of the last line added, 0 when none was. */
  public synchronized long lastSequence() {
    return sequence;
  }
}
