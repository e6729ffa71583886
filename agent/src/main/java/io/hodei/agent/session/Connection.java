package io.hodei.agent.session;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.hodei.protocol.v1.AgentMessage;
import io.hodei.protocol.v1.ServerMessage;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * One Connect stream, from the control plane's side: dispatches what the server sends and completes
 * {@link #ended()} once the stream is over for the agent's purposes.
 */
public final class Connection implements ClientResponseObserver<AgentMessage, ServerMessage> {

  private static final Logger LOG = Logger.getLogger(Connection.class.getName());

  private final ServerCommands commands;
  private final CompletableFuture<StreamEnd> ended = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile boolean heardFromServer;

  public Connection(ServerCommands commands) {
    this.commands = commands;
  }

  /** Completes on Shutdown, on a refused session, or when the stream breaks. */
  public CompletableFuture<StreamEnd> ended() {
    return ended;
  }

  /** Completes when the gRPC call itself is over (after Shutdown, the call may still flush). */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
    // Nothing to configure: the outbox writes to the request stream.
  }

  @Override
  public void onNext(ServerMessage message) {
    heardFromServer = true;
    switch (message.getBodyCase()) {
      case ATTACHED -> LOG.info("attached to the control plane");
      case RUN_JOB -> commands.runJob(message.getRunJob());
      case CANCEL_JOB -> commands.cancelJob(message.getCancelJob());
      case KEEP_ALIVE -> {
        // Only proves the stream is alive.
      }
      case SHUTDOWN -> {
        LOG.info(
            "the control plane asked the agent to shut down: " + message.getShutdown().getReason());
        ended.complete(
            new StreamEnd(StreamEnd.Kind.SHUTDOWN, message.getShutdown().getReason(), true));
      }
      case BODY_NOT_SET ->
          LOG.warning(
              "ignoring an empty message from the control plane; is the server newer than this agent?");
    }
  }

  @Override
  public void onError(Throwable error) {
    ended.complete(StreamEnd.fromStatus(Status.fromThrowable(error), heardFromServer));
    closed.complete(null);
  }

  @Override
  public void onCompleted() {
    ended.complete(
        StreamEnd.fromStatus(
            Status.UNAVAILABLE.withDescription("the control plane closed the stream"),
            heardFromServer));
    closed.complete(null);
  }
}
