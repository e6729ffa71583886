package io.hodei.server.workers;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.hodei.protocol.v1.AgentMessage;
import io.hodei.protocol.v1.RegisterRequest;
import io.hodei.protocol.v1.RegisterResponse;
import io.hodei.protocol.v1.ServerMessage;
import io.hodei.protocol.v1.WorkerServiceGrpc;
import io.hodei.server.controller.ControllerSettings;
import io.hodei.server.controller.WakeUp;
import io.hodei.server.jobs.JobReports;
import io.quarkus.grpc.GrpcService;
import jakarta.enterprise.event.Event;
import org.jboss.logging.Logger;

/**
 * The gRPC endpoint agents talk to: registration with a bootstrap token, then one stream per worker
 * session. Everything an agent reports is applied through the persistent registry.
 */
@GrpcService
public class WorkerGrpcService extends WorkerServiceGrpc.WorkerServiceImplBase {

  private static final Logger LOG = Logger.getLogger(WorkerGrpcService.class);

  private final WorkerRegistry registry;
  private final WorkerConnections connections;
  private final JobReports reports;
  private final ControllerSettings settings;
  private final Event<WakeUp> wakeUp;

  public WorkerGrpcService(
      WorkerRegistry registry,
      WorkerConnections connections,
      JobReports reports,
      ControllerSettings settings,
      Event<WakeUp> wakeUp) {
    this.registry = registry;
    this.connections = connections;
    this.reports = reports;
    this.settings = settings;
    this.wakeUp = wakeUp;
  }

  @Override
  public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
    registry
        .register(request.getBootstrapToken(), request.getWorkerId(), request.getSessionToken())
        .subscribe()
        .with(
            registration -> {
              if (!registration.accepted()) {
                response.onError(
                    Status.UNAUTHENTICATED
                        .withDescription("bootstrap token refused: " + registration.refusal())
                        .asRuntimeException());
                return;
              }
              response.onNext(
                  RegisterResponse.newBuilder()
                      .setSessionToken(registration.sessionToken())
                      .setHeartbeatIntervalMillis(settings.heartbeatInterval().toMillis())
                      .setResumeWindowMillis(settings.resumeWindow().toMillis())
                      .build());
              response.onCompleted();
            },
            failure -> {
              LOG.warnf(failure, "Registration of worker %s failed", request.getWorkerId());
              response.onError(
                  Status.UNAVAILABLE
                      .withDescription("registration failed; try again")
                      .asRuntimeException());
            });
  }

  @Override
  public StreamObserver<AgentMessage> connect(StreamObserver<ServerMessage> response) {
    return new AgentSession(response, registry, connections, reports, wakeUp);
  }
}
