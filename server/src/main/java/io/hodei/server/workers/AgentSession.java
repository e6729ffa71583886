package io.hodei.server.workers;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.hodei.protocol.v1.AgentMessage;
import io.hodei.protocol.v1.Attached;
import io.hodei.protocol.v1.ServerMessage;
import io.hodei.server.controller.WakeUp;
import io.hodei.server.jobs.JobReports;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Event;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One agent stream. Messages are applied one at a time, in the order they arrived, so a job's last
 * log lines are stored before its result ends it.
 */
final class AgentSession implements StreamObserver<AgentMessage> {

  private static final Logger LOG = Logger.getLogger(AgentSession.class);

  private final StreamObserver<ServerMessage> outbound;
  private final WorkerRegistry registry;
  private final WorkerConnections connections;
  private final JobReports reports;
  private final Event<WakeUp> wakeUp;

  private final Queue<AgentMessage> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile WorkerConnection connection;
  private volatile boolean ended;

  AgentSession(
      StreamObserver<ServerMessage> outbound,
      WorkerRegistry registry,
      WorkerConnections connections,
      JobReports reports,
      Event<WakeUp> wakeUp) {
    this.outbound = outbound;
    this.registry = registry;
    this.connections = connections;
    this.reports = reports;
    this.wakeUp = wakeUp;
  }

  @Override
  public void onNext(AgentMessage message) {
    inbox.add(message);
    drain();
  }

  @Override
  public void onError(Throwable error) {
    end();
  }

  @Override
  public void onCompleted() {
    end();
    WorkerConnection current = connection;
    if (current != null) {
      current.close();
    }
  }

  private void end() {
    ended = true;
    WorkerConnection current = connection;
    if (current != null) {
      connections.detach(current);
    }
  }

  private void drain() {
    if (!draining.compareAndSet(false, true)) {
      return;
    }
    AgentMessage next = inbox.poll();
    if (next == null || ended && connection == null) {
      draining.set(false);
      if (!inbox.isEmpty() && !ended) {
        drain();
      }
      return;
    }
    handle(next)
        .subscribe()
        .with(
            ignored -> {
              draining.set(false);
              drain();
            },
            failure -> {
              LOG.warnf(failure, "Could not apply a %s message", next.getBodyCase());
              draining.set(false);
              drain();
            });
  }

  private Uni<Void> handle(AgentMessage message) {
    WorkerConnection current = connection;
    if (current == null) {
      if (message.getBodyCase() != AgentMessage.BodyCase.ATTACH) {
        refuse("the first message on a stream must be Attach");
        return Uni.createFrom().voidItem();
      }
      return attach(message);
    }
    String workerId = current.workerId();
    return switch (message.getBodyCase()) {
      case HEARTBEAT -> registry.heartbeat(workerId);
      case ACK ->
          reports.acknowledged(
              workerId, message.getAck().getJobId(), message.getAck().getAttempt());
      case LOGS -> reports.logs(workerId, message.getLogs());
      case RESULT ->
          reports
              .result(workerId, message.getResult())
              .invoke(changed -> wakeUp.fire(new WakeUp("result from " + workerId)))
              .replaceWithVoid();
      default -> Uni.createFrom().voidItem();
    };
  }

  private Uni<Void> attach(AgentMessage message) {
    return registry
        .attach(message.getAttach().getSessionToken())
        .invoke(
            workerId -> {
              if (workerId == null) {
                refuse("unknown session, or the worker has ended");
                return;
              }
              WorkerConnection attached = new WorkerConnection(workerId, outbound);
              connection = attached;
              connections.attach(attached);
              attached.send(
                  ServerMessage.newBuilder()
                      .setAttached(Attached.newBuilder().setWorkerId(workerId))
                      .build());
              wakeUp.fire(new WakeUp("worker " + workerId + " connected"));
            })
        .replaceWithVoid();
  }

  private void refuse(String why) {
    ended = true;
    try {
      outbound.onError(Status.UNAUTHENTICATED.withDescription(why).asRuntimeException());
    } catch (RuntimeException e) {
      LOG.debugf("Stream already closed while refusing it: %s", why);
    }
  }
}
