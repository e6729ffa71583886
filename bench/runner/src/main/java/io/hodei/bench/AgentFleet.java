package io.hodei.bench;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.hodei.protocol.v1.WorkerServiceGrpc;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * All simulated agents: one gRPC channel (one HTTP/2 connection) to the server, a small callback
 * pool and one heartbeat timer shared by every agent, so thousands of workers cost a few threads.
 */
final class AgentFleet implements AutoCloseable, SimulatedAgent.Listener {

  private static final int CALLBACK_THREADS = 4;

  private final ManagedChannel channel;
  private final WorkerServiceGrpc.WorkerServiceStub stub;
  private final ExecutorService callbacks;
  private final ScheduledExecutorService timer;
  private final Timeline timeline;
  private final Map<String, SimulatedAgent> live = new ConcurrentHashMap<>();
  private final AtomicLong started = new AtomicLong();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicReference<String> lastFailure = new AtomicReference<>();

  AgentFleet(int serverPort, Timeline timeline) {
    this.timeline = timeline;
    AtomicInteger count = new AtomicInteger();
    this.callbacks =
        Executors.newFixedThreadPool(
            CALLBACK_THREADS, r -> daemon(r, "agents-" + count.incrementAndGet()));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "agents-heartbeat"));
    this.channel =
        NettyChannelBuilder.forAddress("127.0.0.1", serverPort)
            .usePlaintext()
            .executor(callbacks)
            .build();
    this.stub = WorkerServiceGrpc.newStub(channel);
  }

  /** Starts an agent for a worker the server asked the handoff endpoint for. */
  void start(String workerId, String bootstrapToken) {
    SimulatedAgent agent =
        new SimulatedAgent(workerId, bootstrapToken, stub, timer, timeline, this);
    if (live.putIfAbsent(workerId, agent) != null) {
      // A retried provision call for a worker whose agent already runs: one agent is enough.
      return;
    }
    started.incrementAndGet();
    agent.start();
  }

  /** Ends a worker's agent, as a backend would when its provider terminates the worker. */
  void terminate(String workerId) {
    SimulatedAgent agent = live.remove(workerId);
    if (agent != null) {
      agent.finish();
    }
  }

  @Override
  public void ended(SimulatedAgent agent, Throwable failure) {
    live.remove(agent.workerId(), agent);
    if (failure != null && Status.fromThrowable(failure).getCode() != Status.Code.CANCELLED) {
      failures.incrementAndGet();
      lastFailure.set(agent.workerId() + ": " + Status.fromThrowable(failure));
    }
  }

  long started() {
    return started.get();
  }

  int live() {
    return live.size();
  }

  int failures() {
    return failures.get();
  }

  String lastFailure() {
    return lastFailure.get();
  }

  @Override
  public void close() throws InterruptedException {
    live.values().forEach(SimulatedAgent::finish);
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
    timer.shutdownNow();
    callbacks.shutdownNow();
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
