package io.hodei.agent.logs;

import io.hodei.protocol.v1.LogStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads a step's stdout or stderr and hands it to the batcher line by line. It does its own line
 * splitting (rather than {@code BufferedReader.readLine}) so that output without newlines cannot
 * grow one line without bound. When it must cut a long line, it masks first and keeps back a tail
 * as long as the longest secret, so no secret is ever split across two pieces unmasked.
 */
public final class LinePump implements Runnable {

  private static final Logger LOG = Logger.getLogger(LinePump.class.getName());

  private final InputStream input;
  private final LogStream stream;
  private final String step;
  private final LogBatcher logs;
  private final LogMasker masker;

  public LinePump(
      InputStream input, LogStream stream, String step, LogBatcher logs, LogMasker masker) {
    this.input = input;
    this.stream = stream;
    this.step = step;
    this.logs = logs;
    this.masker = masker;
  }

  @Override
  public void run() {
    StringBuilder line = new StringBuilder();
    char[] buffer = new char[8192];
    boolean lastWasCarriageReturn = false;
    try (Reader reader = new InputStreamReader(input, StandardCharsets.UTF_8)) {
      int read;
      while ((read = reader.read(buffer)) != -1) {
        for (int i = 0; i < read; i++) {
          char c = buffer[i];
          if (c == '\n' && lastWasCarriageReturn) {
            lastWasCarriageReturn = false;
            continue;
          }
          lastWasCarriageReturn = c == '\r';
          if (c == '\n' || c == '\r') {
            emit(line);
          } else {
            line.append(c);
            if (line.length() >= LogBatcher.MAX_LINE_CHARS + masker.longestValue()) {
              emitPiece(line);
            }
          }
        }
      }
    } catch (IOException e) {
      // A destroyed process closes its pipes under the reader; what was read is kept.
      LOG.log(Level.FINE, "stopped reading " + stream + " of step " + step, e);
    }
    if (!line.isEmpty()) {
      emit(line);
    }
  }

  private void emitPiece(StringBuilder line) {
    String masked = masker.mask(line.toString());
    int keep = Math.max(0, masker.longestValue() - 1);
    line.setLength(0);
    if (masked.length() <= keep) {
      // Masking shrank the piece below the tail to keep; read on.
      line.append(masked);
      return;
    }
    logs.add(stream, step, masked.substring(0, masked.length() - keep));
    line.append(masked, masked.length() - keep, masked.length());
  }

  private void emit(StringBuilder line) {
    logs.add(stream, step, line.toString());
    line.setLength(0);
  }
}
