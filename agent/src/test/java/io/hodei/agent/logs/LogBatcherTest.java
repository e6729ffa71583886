package io.hodei.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.protocol.v1.LogBatch;
import io.hodei.protocol.v1.LogLine;
import io.hodei.protocol.v1.LogStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LogBatcherTest {

  private final List<LogBatch> sent = new ArrayList<>();

  private LogBatcher batcher(LogMasker masker, int maxLines) {
    return new LogBatcher("job", 3, masker, sent::add, maxLines, () -> 42L);
  }

  @Test
  void sendsAFullBatchAtOnceAndTheRestOnFlush() {
    LogBatcher logs = batcher(LogMasker.of(List.of()), 2);

    logs.add(LogStream.STDOUT, "build", "one");
    logs.add(LogStream.STDERR, "build", "two");
    logs.add(LogStream.STDOUT, "build", "three");
    assertThat(sent).hasSize(1);
    logs.flush();

    assertThat(sent).hasSize(2);
    List<LogLine> lines = sent.stream().flatMap(b -> b.getLinesList().stream()).toList();
    assertThat(lines).extracting(LogLine::getSequence).containsExactly(1L, 2L, 3L);
    assertThat(lines).extracting(LogLine::getText).containsExactly("one", "two", "three");
    assertThat(lines.get(1).getStream()).isEqualTo(LogStream.STDERR);
    assertThat(lines.get(0).getStep()).isEqualTo("build");
    assertThat(lines.get(0).getTimestampMillis()).isEqualTo(42L);
    assertThat(sent.get(0).getJobId()).isEqualTo("job");
    assertThat(sent.get(0).getAttempt()).isEqualTo(3);
    assertThat(logs.lastSequence()).isEqualTo(3);
  }

  @Test
  void masksBeforeSendingAndDropsLinesAfterClose() {
    LogBatcher logs = batcher(LogMasker.of(List.of("pw123")), 100);

    logs.system("using pw123");
    logs.close();
    logs.add(LogStream.STDOUT, "late", "after the end");

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getLines(0).getText()).isEqualTo("using ***");
    assertThat(sent.get(0).getLines(0).getStep()).isEmpty();
    assertThat(logs.lastSequence()).isEqualTo(1);
  }

  @Test
  void pumpSplitsLinesAndNeverCutsASecretInTwo() {
    String secret = "SECRET-VALUE-0123456789";
    LogMasker masker = LogMasker.of(List.of(secret));
    LogBatcher logs = batcher(masker, 1000);
    // A line far longer than the cut, with the secret right where a naive cut would fall.
    String padding = "x".repeat(LogBatcher.MAX_LINE_CHARS - 5);
    String text = "a\r\nb\n" + padding + secret + "y".repeat(40_000) + secret + "\nlast";

    new LinePump(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
            LogStream.STDOUT,
            "s",
            logs,
            masker)
        .run();
    logs.flush();

    List<LogLine> lines = sent.stream().flatMap(b -> b.getLinesList().stream()).toList();
    assertThat(lines.get(0).getText()).isEqualTo("a");
    assertThat(lines.get(1).getText()).isEqualTo("b");
    assertThat(lines.get(lines.size() - 1).getText()).isEqualTo("last");
    assertThat(lines).allMatch(l -> l.getText().length() <= LogBatcher.MAX_LINE_CHARS);
    String joined = String.join("", lines.stream().map(LogLine::getText).toList());
    assertThat(joined).doesNotContain(secret).doesNotContain("SECRET");
    assertThat(joined.chars().filter(c -> c == 'y').count()).isEqualTo(40_000);
    assertThat(lines)
        .extracting(LogLine::getSequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, lines.size()).boxed().toList());
  }
}
