package io.hodei.server.workers;

import io.hodei.core.tokens.BootstrapTokens;
import io.hodei.core.workers.WorkerState;
import io.hodei.server.persistence.Db;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/** The persistent worker registry: registration with bootstrap tokens, sessions, heartbeats. */
@ApplicationScoped
public class WorkerRegistry {

  private static final Logger LOG = Logger.getLogger(WorkerRegistry.class);

  private final Db db;
  private final Clock clock;

  public WorkerRegistry(Db db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The outcome of a registration: a session token, or why the token was refused. */
  public record Registration(String sessionToken, String refusal) {
    boolean accepted() {
      return sessionToken != null;
    }
  }

  /** The shortest session token an agent may choose for itself. */
  static final int MIN_PROPOSED_SESSION_LENGTH = 32;

  /**
   * Consumes a bootstrap token for {@code workerId}. The token must exist, be unused, unexpired and
   * issued for that very worker. A refusal is logged with the worker id and the reason, never the
   * token.
   *
   * <p>An agent may propose its own session token. Then a retry whose first answer was lost (the
   * server died between commit and reply) presents the used token again with the same proposal and
   * gets the same session, instead of being refused for good: only the holder of that proposal can
   * do so, so the bootstrap token stays one-shot for everybody else.
   */
  public Uni<Registration> register(String token, String workerId, String proposedSession) {
    Instant now = clock.instant();
    String hash = BootstrapTokens.hash(token == null ? "" : token);
    String proposal = proposedSession == null ? "" : proposedSession;
    if (!proposal.isEmpty() && proposal.length() < MIN_PROPOSED_SESSION_LENGTH) {
      return Uni.createFrom()
          .item(
              new Registration(
                  null,
                  "the proposed session token is shorter than "
                      + MIN_PROPOSED_SESSION_LENGTH
                      + " characters"));
    }
    return db.tx(
            session ->
                session
                    .find(BootstrapTokenEntity.class, hash, LockModeType.PESSIMISTIC_WRITE)
                    .chain(
                        found -> {
                          String refusal = refusal(found, workerId, now);
                          if (ALREADY_USED.equals(refusal) && !proposal.isEmpty()) {
                            return retried(session, found, workerId, proposal, now);
                          }
                          if (refusal != null) {
                            return Uni.createFrom().item(new Registration(null, refusal));
                          }
                          found.usedAt = now;
                          return session
                              .find(WorkerEntity.class, found.workerId)
                              .map(
                                  worker -> {
                                    if (worker == null
                                        || worker.state.isFinal()
                                        || worker.state == WorkerState.TERMINATING) {
                                      return new Registration(null, "the worker has already ended");
                                    }
                                    String sessionToken =
                                        proposal.isEmpty()
                                            ? BootstrapTokens.generate("hws_")
                                            : proposal;
                                    worker.sessionHash = BootstrapTokens.hash(sessionToken);
                                    worker.registeredAt = now;
                                    worker.updatedAt = now;
                                    return new Registration(sessionToken, null);
                                  });
                        }))
        .invoke(
            result -> {
              if (!result.accepted()) {
                LOG.warnf(
                    "Refused a bootstrap token presented for worker %s: %s",
                    workerId, result.refusal());
              }
            });
  }

  private static final String ALREADY_USED = "token already used";

  /**
   * A used token presented again: accepted only as the same registration, with the session token
   * the first one proposed, by a worker that has not attached yet.
   */
  private static Uni<Registration> retried(
      Mutiny.Session session,
      BootstrapTokenEntity token,
      String workerId,
      String proposal,
      Instant now) {
    if (!token.workerId.toString().equals(workerId) || !token.expiresAt.isAfter(now)) {
      return Uni.createFrom().item(new Registration(null, ALREADY_USED));
    }
    return session
        .find(WorkerEntity.class, token.workerId)
        .map(
            worker ->
                worker != null
                        && worker.state == WorkerState.PROVISIONING
                        && BootstrapTokens.hash(proposal).equals(worker.sessionHash)
                    ? new Registration(proposal, null)
                    : new Registration(null, ALREADY_USED));
  }

  private static String refusal(BootstrapTokenEntity token, String workerId, Instant now) {
    if (token == null) {
      return "unknown token";
    }
    if (token.usedAt != null) {
      return ALREADY_USED;
    }
    if (!token.expiresAt.isAfter(now)) {
      return "token expired";
    }
    if (!token.workerId.toString().equals(workerId)) {
      return "token was issued for another worker";
    }
    return null;
  }

  /**
   * Binds a stream to the worker whose session token this is, marking it READY on its first attach.
   * Returns the worker id, or null when the session is unknown or the worker has ended.
   */
  public Uni<String> attach(String sessionToken) {
    Instant now = clock.instant();
    String hash = BootstrapTokens.hash(sessionToken == null ? "" : sessionToken);
    return db.tx(
        session ->
            session
                .createQuery("from WorkerEntity where sessionHash = :hash", WorkerEntity.class)
                .setParameter("hash", hash)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getSingleResultOrNull()
                .map(
                    worker -> {
                      if (worker == null || worker.state.isFinal()) {
                        return null;
                      }
                      if (worker.state == WorkerState.PROVISIONING) {
                        worker.moveTo(WorkerState.READY, "agent connected", now);
                        worker.idleSince = now;
                      }
                      worker.lastHeartbeat = now;
                      worker.updatedAt = now;
                      return worker.id.toString();
                    }));
  }

  /** Records a heartbeat; cheap, one statement. */
  public Uni<Void> heartbeat(String workerId) {
    Instant now = clock.instant();
    return db.tx(
        session ->
            session
                .createMutationQuery(
                    "update WorkerEntity set lastHeartbeat = :now where id = :id and state in"
                        + " :alive")
                .setParameter("alive", java.util.List.of(WorkerState.READY, WorkerState.BUSY))
                .setParameter("now", now)
                .setParameter("id", UUID.fromString(workerId))
                .executeUpdate()
                .replaceWithVoid());
  }
}
