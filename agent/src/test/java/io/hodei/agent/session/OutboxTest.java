package io.hodei.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import io.hodei.protocol.v1.AgentMessage;
import io.hodei.protocol.v1.Attach;
import io.hodei.protocol.v1.Heartbeat;
import io.hodei.protocol.v1.JobResult;
import io.hodei.protocol.v1.LogBatch;
import io.hodei.protocol.v1.LogLine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {

  /** Records what is written to it, like the request side of a gRPC call. */
  private static final class RecordingStream implements StreamObserver<AgentMessage> {
    final List<AgentMessage> written = new ArrayList<>();

    @Override
    public void onNext(AgentMessage value) {
      written.add(value);
    }

    @Override
    public void onError(Throwable t) {
      throw new AssertionError("the outbox never fails the stream", t);
    }

    @Override
    public void onCompleted() {}
  }

  private static final AgentMessage ATTACH =
      AgentMessage.newBuilder().setAttach(Attach.newBuilder().setSessionToken("s")).build();

  private static AgentMessage logs(long sequence) {
    return AgentMessage.newBuilder()
        .setLogs(
            LogBatch.newBuilder()
                .setJobId("j")
                .addLines(LogLine.newBuilder().setSequence(sequence).setText("x".repeat(100))))
        .build();
  }

  @Test
  void replaysKeptMessagesAfterTheAttachOfANewStream() {
    Outbox outbox = new Outbox(1 << 20);
    RecordingStream first = new RecordingStream();
    outbox.attach(first, ATTACH);
    outbox.sendReliably(logs(1));
    outbox.detach(first);
    outbox.sendReliably(logs(2));
    outbox.sendIfConnected(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()).build());

    RecordingStream second = new RecordingStream();
    outbox.attach(second, ATTACH);

    assertThat(first.written).containsExactly(ATTACH, logs(1));
    assertThat(second.written).containsExactly(ATTACH, logs(1), logs(2));
  }

  @Test
  void dropsOldestLogsButNeverTheResultWhenFull() {
    AgentMessage result =
        AgentMessage.newBuilder().setResult(JobResult.newBuilder().setJobId("j")).build();
    Outbox outbox = new Outbox(logs(1).getSerializedSize() * 2L + result.getSerializedSize());
    outbox.sendReliably(result);
    for (int i = 1; i <= 5; i++) {
      outbox.sendReliably(logs(i));
    }

    RecordingStream stream = new RecordingStream();
    outbox.attach(stream, ATTACH);

    assertThat(stream.written).containsExactly(ATTACH, result, logs(4), logs(5));
  }

  @Test
  void forgetsThePreviousJobWhenANewOneStarts() {
    Outbox outbox = new Outbox(1 << 20);
    outbox.sendReliably(logs(1));
    outbox.startNewJob();

    RecordingStream stream = new RecordingStream();
    outbox.attach(stream, ATTACH);

    assertThat(stream.written).containsExactly(ATTACH);
  }
}
