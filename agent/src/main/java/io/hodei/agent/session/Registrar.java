package io.hodei.agent.session;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hodei.agent.AgentExit;
import io.hodei.agent.AgentTermination;
import io.hodei.agent.config.Durations;
import io.hodei.protocol.v1.RegisterRequest;
import io.hodei.protocol.v1.RegisterResponse;
import io.hodei.protocol.v1.WorkerInfo;
import io.hodei.protocol.v1.WorkerServiceGrpc.WorkerServiceBlockingStub;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Trades the bootstrap token for a session. Retries while the control plane is unreachable, but
 * never after a refusal: the token is one-shot, so a refused token stays refused.
 */
public final class Registrar {

  private static final Logger LOG = Logger.getLogger(Registrar.class.getName());
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(15);
  private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Codes that say "not now" rather than "no". */
  private static final Set<Status.Code> RETRYABLE =
      EnumSet.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED,
          Status.Code.INTERNAL,
          Status.Code.UNKNOWN);

  private final WorkerServiceBlockingStub stub;
  private final Pause pause;

  /** Waits between attempts; returns false when the agent was stopped meanwhile. */
  @FunctionalInterface
  public interface Pause {
    boolean sleep(Duration delay);
  }

  public Registrar(WorkerServiceBlockingStub stub, Pause pause) {
    this.stub = stub;
    this.pause = pause;
  }

  /**
   * Registers, retrying transient failures until {@code giveUpAfter} has passed.
   *
   * @throws AgentTermination with {@link AgentExit#REJECTED} when the control plane refuses, with
   *     {@link AgentExit#ORPHANED} when it stays unreachable, with {@link AgentExit#STOPPED} when
   *     stopped meanwhile
   */
  public Session register(
      String bootstrapToken,
      String workerId,
      WorkerInfo info,
      Backoff backoff,
      Duration giveUpAfter) {
    // Every attempt proposes the same session token, so a retry after an answer lost in a server
    // crash gets its session back instead of a refusal of the now used bootstrap token.
    RegisterRequest request =
        RegisterRequest.newBuilder()
            .setBootstrapToken(bootstrapToken)
            .setWorkerId(workerId)
            .setInfo(info)
            .setSessionToken(newSessionToken())
            .build();
    long giveUpAt = System.nanoTime() + giveUpAfter.toNanos();
    while (true) {
      try {
        RegisterResponse response =
            stub.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .register(request);
        Duration heartbeat = Duration.ofMillis(response.getHeartbeatIntervalMillis());
        return new Session(
            response.getSessionToken(),
            heartbeat.isZero() || heartbeat.isNegative() ? DEFAULT_HEARTBEAT : heartbeat,
            Duration.ofMillis(response.getResumeWindowMillis()));
      } catch (StatusRuntimeException e) {
        Status status = e.getStatus();
        if (!RETRYABLE.contains(status.getCode())) {
          throw new AgentTermination(AgentExit.REJECTED, refusal(status, workerId));
        }
        Duration delay = backoff.next();
        if (System.nanoTime() + delay.toNanos() - giveUpAt > 0) {
          throw new AgentTermination(
              AgentExit.ORPHANED,
              "could not register with the control plane for "
                  + Durations.human(giveUpAfter)
                  + " (last error: "
                  + describe(status)
                  + "); giving up as an orphan");
        }
        LOG.warning(
            "cannot register yet ("
                + describe(status)
                + "); retrying in "
                + Durations.human(delay));
        if (!pause.sleep(delay)) {
          throw new AgentTermination(AgentExit.STOPPED, "stopped while registering");
        }
      }
    }
  }

  private static String newSessionToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "hws_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String refusal(Status status, String workerId) {
    if (status.getCode() == Status.Code.UNAUTHENTICATED) {
      return "the control plane refused the bootstrap token for worker "
          + workerId
          + " ("
          + describe(status)
          + "): it is unknown, already used, expired or issued for another worker. "
          + "The token is one-shot, so this worker cannot register; start a new worker.";
    }
    return "the control plane refused to register worker " + workerId + ": " + describe(status);
  }

  static String describe(Status status) {
    return status.getDescription() == null
        ? status.getCode().toString()
        : status.getCode() + ": " + status.getDescription();
  }
}
