package io.hodei.bench;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.hodei.protocol.v1.AgentMessage;
import io.hodei.protocol.v1.Attach;
import io.hodei.protocol.v1.Heartbeat;
import io.hodei.protocol.v1.JobAck;
import io.hodei.protocol.v1.JobOutcome;
import io.hodei.protocol.v1.JobResult;
import io.hodei.protocol.v1.LogBatch;
import io.hodei.protocol.v1.LogLine;
import io.hodei.protocol.v1.LogStream;
import io.hodei.protocol.v1.RegisterRequest;
import io.hodei.protocol.v1.RegisterResponse;
import io.hodei.protocol.v1.RunJob;
import io.hodei.protocol.v1.ServerMessage;
import io.hodei.protocol.v1.WorkerInfo;
import io.hodei.protocol.v1.WorkerServiceGrpc.WorkerServiceStub;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One worker's agent, speaking the real protocol without running anything: it registers with its
 * bootstrap token, attaches, heartbeats, and answers each RunJob at once with an ack, one log line
 * and a SUCCEEDED result. It owns no thread; gRPC callbacks and a shared timer drive it.
 */
final class SimulatedAgent implements ClientResponseObserver<AgentMessage, ServerMessage> {

  /** Hears how an agent's life ended. */
  interface Listener {
    void ended(SimulatedAgent agent, Throwable failure);
  }

  private final String workerId;
  private final String bootstrapToken;
  private final WorkerServiceStub stub;
  private final ScheduledExecutorService timer;
  private final Timeline timeline;
  private final Listener listener;

  private StreamObserver<AgentMessage> requests;
  private ScheduledFuture<?> heartbeats;
  private boolean closed;

  SimulatedAgent(
      String workerId,
      String bootstrapToken,
      WorkerServiceStub stub,
      ScheduledExecutorService timer,
      Timeline timeline,
      Listener listener) {
    this.workerId = workerId;
    this.bootstrapToken = bootstrapToken;
    this.stub = stub;
    this.timer = timer;
    this.timeline = timeline;
    this.listener = listener;
  }

  String workerId() {
    return workerId;
  }

  /** Registers, then opens the session stream; returns at once. */
  void start() {
    RegisterRequest request =
        RegisterRequest.newBuilder()
            .setBootstrapToken(bootstrapToken)
            .setWorkerId(workerId)
            .setInfo(
                WorkerInfo.newBuilder()
                    .setHostname("bench")
                    .setOs("linux")
                    .setArch("amd64")
                    .setCpus(1)
                    .setMemoryMib(512)
                    .setAgentVersion("bench"))
            .build();
    stub.register(
        request,
        new StreamObserver<>() {
          private RegisterResponse response;

          @Override
          public void onNext(RegisterResponse value) {
            response = value;
          }

          @Override
          public void onError(Throwable failure) {
            listener.ended(SimulatedAgent.this, failure);
          }

          @Override
          public void onCompleted() {
            connect(response);
          }
        });
  }

  private void connect(RegisterResponse registration) {
    StreamObserver<AgentMessage> stream = stub.connect(this);
    long interval = Math.max(100, registration.getHeartbeatIntervalMillis());
    synchronized (this) {
      requests = stream;
      send(
          AgentMessage.newBuilder()
              .setAttach(Attach.newBuilder().setSessionToken(registration.getSessionToken()))
              .build());
      heartbeats =
          timer.scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
    // Writes go through the observer that connect() returns; nothing to configure.
  }

  @Override
  public void onNext(ServerMessage message) {
    switch (message.getBodyCase()) {
      case RUN_JOB -> run(message.getRunJob());
      case CANCEL_JOB ->
          cancelled(message.getCancelJob().getJobId(), message.getCancelJob().getAttempt());
      case SHUTDOWN -> finish();
      default -> {
        // Attached and keep-alives need no answer.
      }
    }
  }

  private void run(RunJob job) {
    timeline.runJobReceived(job.getJobId(), Instant.now());
    String id = job.getJobId();
    int attempt = job.getAttempt();
    synchronized (this) {
      send(
          AgentMessage.newBuilder()
              .setAck(JobAck.newBuilder().setJobId(id).setAttempt(attempt))
              .build());
      send(
          AgentMessage.newBuilder()
              .setLogs(
                  LogBatch.newBuilder()
                      .setJobId(id)
                      .setAttempt(attempt)
                      .addLines(
                          LogLine.newBuilder()
                              .setSequence(1)
                              .setStream(LogStream.STDOUT)
                              .setStep(job.getStepsCount() > 0 ? job.getSteps(0).getName() : "")
                              .setText("no-op")
                              .setTimestampMillis(System.currentTimeMillis())))
              .build());
      send(
          AgentMessage.newBuilder()
              .setResult(
                  JobResult.newBuilder()
                      .setJobId(id)
                      .setAttempt(attempt)
                      .setOutcome(JobOutcome.SUCCEEDED)
                      .setExitCode(0)
                      .setLastSequence(1))
              .build());
    }
  }

  private synchronized void cancelled(String jobId, int attempt) {
    send(
        AgentMessage.newBuilder()
            .setResult(
                JobResult.newBuilder()
                    .setJobId(jobId)
                    .setAttempt(attempt)
                    .setOutcome(JobOutcome.CANCELLED)
                    .setExitCode(143))
            .build());
  }

  private synchronized void heartbeat() {
    send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
  }

  /** Half-closes the session: the agent has nothing more to say. Idempotent. */
  synchronized void finish() {
    if (closed) {
      return;
    }
    closed = true;
    stopHeartbeats();
    if (requests != null) {
      requests.onCompleted();
    }
  }

  @Override
  public void onError(Throwable failure) {
    synchronized (this) {
      closed = true;
      stopHeartbeats();
    }
    listener.ended(this, failure);
  }

  @Override
  public void onCompleted() {
    finish();
    listener.ended(this, null);
  }

  private void stopHeartbeats() {
    if (heartbeats != null) {
      heartbeats.cancel(false);
    }
  }

  private void send(AgentMessage message) {
    if (!closed && requests != null) {
      requests.onNext(message);
    }
  }
}
