package io.hodei.server.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hodei.core.tokens.BootstrapTokens;
import io.hodei.core.workers.WorkerState;
import io.hodei.protocol.v1.RegisterRequest;
import io.hodei.protocol.v1.RegisterResponse;
import io.hodei.protocol.v1.WorkerServiceGrpc;
import io.hodei.server.persistence.Db;
import io.hodei.server.testing.HodeiTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bootstrap tokens over the real gRPC endpoint: one-shot, expiring, bound to one worker. */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class BootstrapTokenTest {

  @Inject Db db;

  private ManagedChannel channel;
  private WorkerServiceGrpc.WorkerServiceBlockingStub workers;
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void connect() {
    channel =
        ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
    workers =
        WorkerServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(java.time.Duration.ofSeconds(20));
    Logger.getLogger(WorkerRegistry.class.getName()).addHandler(capture);
  }

  @AfterEach
  void disconnect() {
    Logger.getLogger(WorkerRegistry.class.getName()).removeHandler(capture);
    channel.shutdownNow();
  }

  @Test
  void aTokenRegistersItsWorkerOnceAndIsRefusedTheSecondTime() {
    UUID worker = newWorker();
    String token = issueToken(worker, Duration.ofMinutes(5));

    RegisterResponse session = register(token, worker);
    assertThat(session.getSessionToken()).startsWith("hws_").isNotEqualTo(token);

    assertRefused(token, worker, "token already used");
  }

  @Test
  void aRetriedRegistrationWithTheSameProposedSessionGetsItBackAndNobodyElseDoes() {
    UUID worker = newWorker();
    String token = issueToken(worker, Duration.ofMinutes(5));
    String proposal = BootstrapTokens.generate("hws_");

    assertThat(register(token, worker, proposal).getSessionToken()).isEqualTo(proposal);
    // The first answer was lost: the agent sends the very same request again.
    assertThat(register(token, worker, proposal).getSessionToken()).isEqualTo(proposal);

    assertRefused(token, worker, "token already used");
    assertThatThrownBy(() -> register(token, worker, BootstrapTokens.generate("hws_")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).contains("token already used"));
  }

  @Test
  void aShortProposedSessionIsRefusedWithoutUsingTheToken() {
    UUID worker = newWorker();
    String token = issueToken(worker, Duration.ofMinutes(5));
    assertThatThrownBy(() -> register(token, worker, "short"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).contains("shorter than 32"));
    assertThat(register(token, worker).getSessionToken()).startsWith("hws_");
  }

  @Test
  void anExpiredTokenIsRefused() {
    UUID worker = newWorker();
    String token = issueToken(worker, Duration.ofSeconds(-1));
    assertRefused(token, worker, "token expired");
  }

  @Test
  void aTokenIssuedForAnotherWorkerIsRefused() {
    UUID owner = newWorker();
    UUID thief = newWorker();
    String token = issueToken(owner, Duration.ofMinutes(5));
    assertRefused(token, thief, "token was issued for another worker");
    // The refusal did not consume it: its own worker can still register.
    assertThat(register(token, owner).getSessionToken()).isNotEmpty();
  }

  @Test
  void anUnknownTokenIsRefused() {
    assertRefused(BootstrapTokens.generate("hbt_"), newWorker(), "unknown token");
  }

  @Test
  void onlyTheHashIsStored() {
    UUID worker = newWorker();
    String token = issueToken(worker, Duration.ofMinutes(5));
    List<String> stored =
        db.tx(
                session ->
                    session
                        .createNativeQuery(
                            "select hash from bootstrap_tokens where worker_id = :w", String.class)
                        .setParameter("w", worker)
                        .getResultList())
            .await()
            .atMost(Duration.ofSeconds(10));
    assertThat(stored).containsExactly(BootstrapTokens.hash(token));
  }

  private void assertRefused(String token, UUID worker, String reason) {
    assertThatThrownBy(() -> register(token, worker))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains(reason).doesNotContain(token);
            });
    assertThat(logged)
        .anySatisfy(
            record -> assertThat(formatted(record)).contains("worker " + worker).contains(reason));
    assertThat(logged).noneSatisfy(record -> assertThat(formatted(record)).contains(token));
  }

  private static String formatted(LogRecord record) {
    Object[] parameters = record.getParameters();
    String message = record.getMessage();
    if (parameters != null && message.contains("%")) {
      return String.format(message, parameters);
    }
    return parameters == null ? message : java.text.MessageFormat.format(message, parameters);
  }

  private RegisterResponse register(String token, UUID worker) {
    return register(token, worker, "");
  }

  private RegisterResponse register(String token, UUID worker, String proposedSession) {
    return workers.register(
        RegisterRequest.newBuilder()
            .setBootstrapToken(token)
            .setWorkerId(worker.toString())
            .setSessionToken(proposedSession)
            .build());
  }

  private UUID newWorker() {
    WorkerEntity worker = new WorkerEntity();
    worker.id = UUID.randomUUID();
    worker.pool = "default";
    worker.providerInstance = "token-test";
    worker.state = WorkerState.PROVISIONING;
    worker.stateReason = "";
    worker.handleAttributes = "{}";
    Instant now = Instant.now();
    worker.provisioningDeadline = now.plus(Duration.ofMinutes(10));
    // Released: nothing exists behind it, so the controller leaves it alone.
    worker.releasedAt = now;
    worker.createdAt = now;
    worker.updatedAt = now;
    db.tx(session -> session.persist(worker)).await().atMost(Duration.ofSeconds(10));
    return worker.id;
  }

  private String issueToken(UUID worker, Duration validFor) {
    String token = BootstrapTokens.generate("hbt_");
    BootstrapTokenEntity stored = new BootstrapTokenEntity();
    stored.hash = BootstrapTokens.hash(token);
    stored.workerId = worker;
    stored.createdAt = Instant.now();
    stored.expiresAt = stored.createdAt.plus(validFor);
    db.tx(session -> session.persist(stored)).await().atMost(Duration.ofSeconds(10));
    return token;
  }
}
