package io.hodei.agent;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.hodei.agent.config.AgentConfig;
import io.hodei.agent.config.ConfigException;
import io.hodei.agent.config.Durations;
import io.hodei.agent.jobs.JobRunner;
import io.hodei.agent.jobs.RunningJob;
import io.hodei.agent.session.Backoff;
import io.hodei.agent.session.Connection;
import io.hodei.agent.session.ControlPlaneChannel;
import io.hodei.agent.session.Outbox;
import io.hodei.agent.session.Registrar;
import io.hodei.agent.session.Session;
import io.hodei.agent.session.StreamEnd;
import io.hodei.agent.session.WorkerInfoProbe;
import io.hodei.protocol.v1.AgentMessage;
import io.hodei.protocol.v1.Attach;
import io.hodei.protocol.v1.Heartbeat;
import io.hodei.protocol.v1.WorkerServiceGrpc;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The agent's life: register once, then keep a Connect stream open (reconnecting with backoff,
 * resuming the same session) until the control plane says Shutdown, refuses the session, or is gone
 * for longer than the orphan timeout.
 */
public final class Agent {

  private static final Logger LOG = Logger.getLogger(Agent.class.getName());

  /** How long a job gets to stop when the control plane shuts the agent down. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /** How long to wait for the server to close the call after the agent half-closed it. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final AgentConfig config;
  private final CompletableFuture<AgentExit> stopRequested = new CompletableFuture<>();
  private final Outbox outbox = new Outbox(Outbox.DEFAULT_MAX_BUFFERED_BYTES);
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "agent-timer");
            thread.setDaemon(true);
            return thread;
          });
  private final JobRunner jobs;

  public Agent(AgentConfig config) {
    this.config = config;
    this.jobs = new JobRunner(config.workDir(), config.jobEnvironment(), outbox, scheduler);
  }

  /** Runs until the agent should exit, and says why. Kills any running job before returning. */
  public AgentExit run() {
    ManagedChannel channel = null;
    try {
      channel = ControlPlaneChannel.open(config);
      return loop(channel);
    } catch (ConfigException e) {
      LOG.severe(e.getMessage());
      return AgentExit.CONFIG_INVALID;
    } catch (AgentTermination e) {
      LOG.log(e.exit() == AgentExit.STOPPED ? Level.INFO : Level.SEVERE, e.getMessage());
      return e.exit();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "the agent failed unexpectedly", e);
      return AgentExit.FAILED;
    } finally {
      jobs.killRunning();
      scheduler.shutdownNow();
      if (channel != null) {
        channel.shutdownNow();
      }
    }
  }

  /** Makes {@link #run()} return soon with {@link AgentExit#STOPPED}; kills the running job. */
  public void stop() {
    stopRequested.complete(AgentExit.STOPPED);
    jobs.killRunning();
  }

  private AgentExit loop(ManagedChannel channel) {
    Backoff backoff =
        new Backoff(
            config.reconnectInitialDelay(),
            config.reconnectMaxDelay(),
            RandomGenerator.getDefault());
    Registrar registrar = new Registrar(WorkerServiceGrpc.newBlockingStub(channel), this::pause);
    LOG.info("registering worker " + config.workerId() + " with " + config.serverAddress());
    Session session =
        registrar.register(
            config.bootstrapToken(),
            config.workerId(),
            WorkerInfoProbe.describe(WorkerInfoProbe.agentVersion()),
            backoff,
            config.orphanTimeout());
    LOG.info("registered: " + session);
    backoff.reset();
    var heartbeats =
        scheduler.scheduleAtFixedRate(
            this::heartbeat,
            session.heartbeatInterval().toMillis(),
            session.heartbeatInterval().toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      WorkerServiceGrpc.WorkerServiceStub stub = WorkerServiceGrpc.newStub(channel);
      long lastContact = System.nanoTime();
      while (true) {
        Connection connection = new Connection(jobs);
        StreamObserver<AgentMessage> requests = stub.connect(connection);
        outbox.attach(requests, attach(session));
        StreamEnd end = awaitEnd(connection);
        if (end == null) {
          outbox.detach(requests);
          throw new AgentTermination(AgentExit.STOPPED, "stopped");
        }
        switch (end.kind()) {
          case SHUTDOWN -> {
            shutDown(connection);
            return AgentExit.SHUTDOWN;
          }
          case SESSION_REJECTED ->
              throw new AgentTermination(
                  AgentExit.REJECTED,
                  "the control plane refused the session ("
                      + end.detail()
                      + "); it may have expired after the resume window of "
                      + Durations.human(session.resumeWindow())
                      + ". This worker cannot continue.");
          case BROKEN -> {
            outbox.detach(requests);
            if (end.heardFromServer()) {
              lastContact = System.nanoTime();
              backoff.reset();
            }
            Duration delay = backoff.next();
            Duration away = Duration.ofNanos(System.nanoTime() - lastContact);
            if (away.plus(delay).compareTo(config.orphanTimeout()) > 0) {
              throw new AgentTermination(
                  AgentExit.ORPHANED,
                  "no connection to the control plane for "
                      + Durations.human(away)
                      + " (orphan timeout "
                      + Durations.human(config.orphanTimeout())
                      + ", last error: "
                      + end.detail()
                      + "); exiting as an orphan");
            }
            LOG.warning(
                "the stream to the control plane broke ("
                    + end.detail()
                    + "); reconnecting in "
                    + Durations.human(delay)
                    + jobs.running().map(j -> ", job " + j.jobId() + " keeps running").orElse(""));
            if (!pause(delay)) {
              throw new AgentTermination(AgentExit.STOPPED, "stopped");
            }
            // The channel has a reconnect backoff of its own that grows to minutes during a long
            // outage; ours decides when to try, so the next attempt must really connect.
            channel.resetConnectBackoff();
          }
        }
      }
    } finally {
      heartbeats.cancel(false);
    }
  }

  /** The stream's end, or null when the agent was stopped first. */
  private StreamEnd awaitEnd(Connection connection) {
    try {
      Object first = CompletableFuture.anyOf(connection.ended(), stopRequested).get();
      return first instanceof StreamEnd end ? end : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the stream's end could not be observed", e.getCause());
    }
  }

  private void shutDown(Connection connection) {
    jobs.cancelAndWait("the control plane shut the agent down", SHUTDOWN_GRACE);
    outbox.complete();
    try {
      connection.closed().get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.fine("the control plane did not close the stream; closing it from this side");
    } catch (ExecutionException e) {
      throw new IllegalStateException("the stream's close could not be observed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits; false when the agent was stopped meanwhile. */
  private boolean pause(Duration delay) {
    try {
      stopRequested.get(delay.toMillis(), TimeUnit.MILLISECONDS);
      return false;
    } catch (TimeoutException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the stop signal failed", e.getCause());
    }
  }

  private AgentMessage attach(Session session) {
    Attach.Builder attach = Attach.newBuilder().setSessionToken(session.token());
    jobs.running().ifPresent(j -> attach.setRunningJobId(j.jobId()).setRunningAttempt(j.attempt()));
    return AgentMessage.newBuilder().setAttach(attach).build();
  }

  private void heartbeat() {
    Heartbeat.Builder heartbeat = Heartbeat.newBuilder();
    Optional<RunningJob> running = jobs.running();
    running.ifPresent(j -> heartbeat.setRunningJobId(j.jobId()).setRunningAttempt(j.attempt()));
    outbox.sendIfConnected(AgentMessage.newBuilder().setHeartbeat(heartbeat).build());
  }
}
