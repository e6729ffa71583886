package io.hodei.server.credentials;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import java.time.Duration;

/**
 * Waits for a database call on behalf of the credentials module, whose ports are blocking because
 * providers call them from their own threads. Refuses the event loop rather than stalling it.
 */
final class Blocking {

  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private Blocking() {}

  static <T> T await(Uni<T> work, String what) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          what + " blocks on the database and must not run on an event-loop thread");
    }
    return work.await().atMost(TIMEOUT);
  }
}
