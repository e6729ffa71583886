package io.hodei.agent.session;

import io.grpc.stub.StreamObserver;
import io.hodei.protocol.v1.AgentMessage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way messages reach the control plane. It serialises writes to the current stream (a gRPC
 * stream must not be written from two threads) and keeps every message that matters (acks, log
 * batches, results) of the current job until the next job starts, so that after a reconnect it can
 * send them again. The protocol has no per-message acknowledgement; the server dedupes by job id,
 * attempt and sequence, so sending twice is safe. The buffer is bounded: past the limit the oldest
 * log batches are dropped, never an ack or a result.
 */
public final class Outbox {

  private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

  /** The default bound of the replay buffer, in serialised bytes. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 32L * 1024 * 1024;

  private final long maxBufferedBytes;
  private final Deque<AgentMessage> replay = new ArrayDeque<>();
  private long bufferedBytes;
  private boolean overflowReported;
  private StreamObserver<AgentMessage> stream;

  public Outbox(long maxBufferedBytes) {
    this.maxBufferedBytes = maxBufferedBytes;
  }

  /**
   * Makes {@code stream} the current stream: sends {@code attach} first, then every buffered
   * message, before any new message can slip in between.
   */
  public synchronized void attach(StreamObserver<AgentMessage> newStream, AgentMessage attach) {
    stream = newStream;
    write(attach);
    for (AgentMessage message : replay) {
      if (stream == null) {
        return;
      }
      write(message);
    }
  }

  /** Forgets {@code oldStream} if it is still the current one. */
  public synchronized void detach(StreamObserver<AgentMessage> oldStream) {
    if (stream == oldStream) {
      stream = null;
    }
  }

  /** Half-closes the current stream: the agent has nothing more to say. */
  public synchronized void complete() {
    if (stream != null) {
      StreamObserver<AgentMessage> closing = stream;
      stream = null;
      try {
        closing.onCompleted();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "the stream was already closed when the agent finished it", e);
      }
    }
  }

  /** Sends now if connected and keeps the message for replay after a reconnect. */
  public synchronized void sendReliably(AgentMessage message) {
    replay.addLast(message);
    bufferedBytes += message.getSerializedSize();
    trim();
    write(message);
  }

  /**
   * Sends now if connected; a message that is stale after a reconnect (a heartbeat) is not kept.
   */
  public synchronized void sendIfConnected(AgentMessage message) {
    write(message);
  }

  /**
   * Drops what was kept for earlier jobs. Called when a new job starts: the control plane only
   * dispatches to an idle worker, so it has seen the previous job's result.
   */
  public synchronized void startNewJob() {
    replay.clear();
    bufferedBytes = 0;
    overflowReported = false;
  }

  public synchronized boolean connected() {
    return stream != null;
  }

  synchronized int bufferedMessages() {
    return replay.size();
  }

  private void trim() {
    Iterator<AgentMessage> oldest = replay.iterator();
    while (bufferedBytes > maxBufferedBytes && oldest.hasNext()) {
      AgentMessage message = oldest.next();
      if (message.hasLogs()) {
        oldest.remove();
        bufferedBytes -= message.getSerializedSize();
        if (!overflowReported) {
          overflowReported = true;
          LOG.warning(
              "the replay buffer is full ("
                  + maxBufferedBytes / (1024 * 1024)
                  + " MiB); the oldest log lines are dropped from it and a reconnect will not"
                  + " resend them");
        }
      }
    }
  }

  private void write(AgentMessage message) {
    if (stream == null) {
      return;
    }
    try {
      stream.onNext(message);
    } catch (RuntimeException e) {
      // The call ended under us; the connection loop learns it from the response side and
      // reconnects, and what matters is still in the replay buffer.
      LOG.log(Level.FINE, "cannot write to the stream, treating it as disconnected", e);
      stream = null;
    }
  }
}
