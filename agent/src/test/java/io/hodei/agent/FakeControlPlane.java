package io.hodei.agent;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.hodei.protocol.v1.AgentMessage;
import io.hodei.protocol.v1.Attach;
import io.hodei.protocol.v1.Attached;
import io.hodei.protocol.v1.JobAck;
import io.hodei.protocol.v1.JobResult;
import io.hodei.protocol.v1.LogLine;
import io.hodei.protocol.v1.RegisterRequest;
import io.hodei.protocol.v1.RegisterResponse;
import io.hodei.protocol.v1.ServerMessage;
import io.hodei.protocol.v1.WorkerServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A hand-written control plane over a real gRPC server on a loopback port: it records what the
 * agent sends, dedupes log lines the way the real one must (job, attempt, sequence) and remembers
 * any resent line whose content differs.
 */
final class FakeControlPlane implements AutoCloseable {

  static final String SESSION_TOKEN = "session-token-for-tests";
  static final long HEARTBEAT_MILLIS = 200;

  final List<RegisterRequest> registrations = new CopyOnWriteArrayList<>();
  final List<Attach> attaches = new CopyOnWriteArrayList<>();
  final List<JobAck> acks = new CopyOnWriteArrayList<>();
  final List<JobResult> results = new CopyOnWriteArrayList<>();
  final List<String> conflicts = new CopyOnWriteArrayList<>();
  final AtomicInteger heartbeats = new AtomicInteger();
  final AtomicInteger resentLines = new AtomicInteger();
  private final Map<String, NavigableMap<Long, LogLine>> lines = new ConcurrentHashMap<>();
  private volatile Status registerFailure;
  private volatile StreamObserver<ServerMessage> current;
  private volatile long registeredAtMillis;
  private final Server server;

  FakeControlPlane() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new Service())
            .build()
            .start();
  }

  int port() {
    return server.getPort();
  }

  String address() {
    return "127.0.0.1:" + port();
  }

  void refuseRegistration(Status status) {
    registerFailure = status;
  }

  long registeredAtMillis() {
    return registeredAtMillis;
  }

  void send(ServerMessage message) {
    StreamObserver<ServerMessage> stream = current;
    if (stream == null) {
      throw new IllegalStateException("no agent is connected");
    }
    synchronized (stream) {
      stream.onNext(message);
    }
  }

  /** Ends the current call from the server's side, as a restarting replica would. */
  void breakStream() {
    StreamObserver<ServerMessage> stream = current;
    current = null;
    synchronized (stream) {
      stream.onError(Status.UNAVAILABLE.withDescription("replica going away").asRuntimeException());
    }
  }

  boolean connected() {
    return current != null;
  }

  /** The lines of a job attempt in sequence order, after dedupe. */
  List<LogLine> lines(String jobId, int attempt) {
    return new ArrayList<>(
        lines.getOrDefault(jobId + "#" + attempt, new ConcurrentSkipListMap<>()).values());
  }

  Optional<JobResult> result(String jobId) {
    return results.stream().filter(r -> r.getJobId().equals(jobId)).findFirst();
  }

  JobResult awaitResult(String jobId, Duration timeout) {
    return await(() -> result(jobId), timeout, "the result of job " + jobId);
  }

  /** Polls until the supplier has a value, failing with what was awaited after the timeout. */
  static <T> T await(Supplier<Optional<T>> probe, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout.toMillis() + "ms waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  static void awaitTrue(Supplier<Boolean> condition, Duration timeout, String what) {
    await(() -> condition.get() ? Optional.of(true) : Optional.empty(), timeout, what);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private final class Service extends WorkerServiceGrpc.WorkerServiceImplBase {

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
      registrations.add(request);
      registeredAtMillis = System.currentTimeMillis();
      Status failure = registerFailure;
      if (failure != null) {
        response.onError(failure.asRuntimeException());
        return;
      }
      response.onNext(
          RegisterResponse.newBuilder()
              .setSessionToken(SESSION_TOKEN)
              .setHeartbeatIntervalMillis(HEARTBEAT_MILLIS)
              .setResumeWindowMillis(60_000)
              .build());
      response.onCompleted();
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ServerMessage> response) {
      return new StreamObserver<>() {
        private boolean attached;

        @Override
        public void onNext(AgentMessage message) {
          if (!attached) {
            if (!message.hasAttach()
                || !message.getAttach().getSessionToken().equals(SESSION_TOKEN)) {
              synchronized (response) {
                response.onError(
                    Status.UNAUTHENTICATED.withDescription("attach first").asRuntimeException());
              }
              return;
            }
            attached = true;
            attaches.add(message.getAttach());
            current = response;
            synchronized (response) {
              response.onNext(
                  ServerMessage.newBuilder()
                      .setAttached(Attached.newBuilder().setWorkerId("w-1"))
                      .build());
            }
            return;
          }
          switch (message.getBodyCase()) {
            case HEARTBEAT -> heartbeats.incrementAndGet();
            case ACK -> acks.add(message.getAck());
            case LOGS -> {
              var batch = message.getLogs();
              var byJob =
                  lines.computeIfAbsent(
                      batch.getJobId() + "#" + batch.getAttempt(),
                      k -> new ConcurrentSkipListMap<>());
              for (LogLine line : batch.getLinesList()) {
                LogLine earlier = byJob.putIfAbsent(line.getSequence(), line);
                if (earlier != null) {
                  resentLines.incrementAndGet();
                  if (!earlier.equals(line)) {
                    conflicts.add(earlier + " <> " + line);
                  }
                }
              }
            }
            case RESULT -> {
              if (result(message.getResult().getJobId()).isEmpty()) {
                results.add(message.getResult());
              }
            }
            default -> throw new IllegalStateException("unexpected " + message);
          }
        }

        @Override
        public void onError(Throwable t) {
          if (current == response) {
            current = null;
          }
        }

        @Override
        public void onCompleted() {
          if (current == response) {
            current = null;
          }
          synchronized (response) {
            response.onCompleted();
          }
        }
      };
    }
  }
}
