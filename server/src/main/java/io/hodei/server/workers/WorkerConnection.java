package io.hodei.server.workers;

import io.grpc.stub.StreamObserver;
import io.hodei.protocol.v1.ServerMessage;

/**
 * One agent's open stream. grpc-java stream observers are not thread-safe, so every send is
 * serialised here.
 */
final class WorkerConnection {

  private final String workerId;
  private final StreamObserver<ServerMessage> outbound;
  private boolean closed;

  WorkerConnection(String workerId, StreamObserver<ServerMessage> outbound) {
    this.workerId = workerId;
    this.outbound = outbound;
  }

  String workerId() {
    return workerId;
  }

  /** Sends a message; returns false when the stream is already closed or broke while sending. */
  synchronized boolean send(ServerMessage message) {
    if (closed) {
      return false;
    }
    try {
      outbound.onNext(message);
      return true;
    } catch (RuntimeException e) {
      // The call was cancelled under us (agent gone); the caller treats it as not connected.
      closed = true;
      return false;
    }
  }

  synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        outbound.onCompleted();
      } catch (RuntimeException e) {
        // Already cancelled by the peer: nothing left to complete.
      }
    }
  }

  synchronized boolean isClosed() {
    return closed;
  }
}
