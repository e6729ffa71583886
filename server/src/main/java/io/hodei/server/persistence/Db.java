package io.hodei.server.persistence;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Runs units of work in a Hibernate Reactive transaction, each on a fresh, safe Vert.x duplicated
 * context. Callers may come from any thread (gRPC, provider executors, schedulers); a session never
 * crosses contexts, which is what Hibernate Reactive requires.
 */
@ApplicationScoped
public class Db {

  private final Mutiny.SessionFactory sessions;
  private final Vertx vertx;

  public Db(Mutiny.SessionFactory sessions, Vertx vertx) {
    this.sessions = sessions;
    this.vertx = vertx;
  }

  /** Runs {@code work} in one transaction; it commits when the returned Uni succeeds. */
  public <T> Uni<T> tx(Function<Mutiny.Session, Uni<T>> work) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
              VertxContextSafetyToggle.setContextSafe(context, true);
              context.runOnContext(
                  ignored ->
                      sessions
                          .withTransaction(work)
                          .subscribe()
                          .with(emitter::complete, emitter::fail));
            });
  }
}
