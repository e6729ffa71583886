package io.hodei.server.workers;

import com.google.protobuf.ByteString;
import io.hodei.core.jobs.JobAssignment;
import io.hodei.core.jobs.WorkerChannel;
import io.hodei.protocol.v1.CancelJob;
import io.hodei.protocol.v1.RunJob;
import io.hodei.protocol.v1.SecretFile;
import io.hodei.protocol.v1.ServerMessage;
import io.hodei.protocol.v1.Shutdown;
import io.hodei.protocol.v1.Step;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents connected to this server, and the gRPC side of the {@link WorkerChannel} port. These
 * are live sockets, not state: who a worker is and what it runs is in PostgreSQL, and an agent that
 * reconnects to another replica is served there.
 */
@ApplicationScoped
public class WorkerConnections implements WorkerChannel {

  private final Map<String, WorkerConnection> connections = new ConcurrentHashMap<>();

  void attach(WorkerConnection connection) {
    WorkerConnection previous = connections.put(connection.workerId(), connection);
    if (previous != null && previous != connection) {
      // A resumed session replaces the stream that broke.
      previous.close();
    }
  }

  void detach(WorkerConnection connection) {
    connections.remove(connection.workerId(), connection);
  }

  @Override
  public boolean isConnected(String workerId) {
    WorkerConnection connection = connections.get(workerId);
    return connection != null && !connection.isClosed();
  }

  @Override
  public boolean runJob(String workerId, JobAssignment assignment) {
    RunJob.Builder run =
        RunJob.newBuilder()
            .setJobId(assignment.jobId())
            .setAttempt(assignment.attempt())
            .putAllEnv(assignment.env())
            .setWorkingDirectory(assignment.workingDirectory())
            .setTimeoutMillis(assignment.timeout().toMillis())
            .addAllMaskedValues(assignment.maskedValues());
    assignment
        .secretFiles()
        .forEach(
            f ->
                run.addSecretFiles(
                    SecretFile.newBuilder()
                        .setPath(f.path())
                        .setContent(ByteString.copyFrom(f.content()))));
    assignment
        .steps()
        .forEach(s -> run.addSteps(Step.newBuilder().setName(s.name()).setCommand(s.command())));
    return send(workerId, ServerMessage.newBuilder().setRunJob(run).build());
  }

  @Override
  public boolean cancelJob(
      String workerId, String jobId, int attempt, String reason, Duration grace) {
    return send(
        workerId,
        ServerMessage.newBuilder()
            .setCancelJob(
                CancelJob.newBuilder()
                    .setJobId(jobId)
                    .setAttempt(attempt)
                    .setReason(reason)
                    .setGraceMillis(grace.toMillis()))
            .build());
  }

  @Override
  public boolean shutdown(String workerId, String reason) {
    boolean sent =
        send(
            workerId,
            ServerMessage.newBuilder()
                .setShutdown(Shutdown.newBuilder().setReason(reason))
                .build());
    WorkerConnection connection = connections.remove(workerId);
    if (connection != null) {
      connection.close();
    }
    return sent;
  }

  private boolean send(String workerId, ServerMessage message) {
    WorkerConnection connection = connections.get(workerId);
    return connection != null && connection.send(message);
  }
}
