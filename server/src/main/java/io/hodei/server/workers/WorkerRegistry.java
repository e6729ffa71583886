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

  /**
   * Consumes a bootstrap token for {@code workerId}. The token must exist, be unused, unexpired and
   * issued for that very worker. A refusal is logged with the worker id and the reason, never the
   * token.
   */
  public Uni<Registration> register(String token, String workerId) {
    Instant now = clock.instant();
    String hash = BootstrapTokens.hash(token == null ? "" : token);
    return db.tx(
            session ->
                session
                    .find(BootstrapTokenEntity.class, hash, LockModeType.PESSIMISTIC_WRITE)
                    .chain(
                        found -> {
                          String refusal = refusal(found, workerId, now);
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
                                    String sessionToken = BootstrapTokens.generate("hws_");
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

  private static String refusal(BootstrapTokenEntity token, String workerId, Instant now) {
    if (token == null) {
      return "unknown token";
    }
    if (token.usedAt != null) {
      return "token already used";
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
