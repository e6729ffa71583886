package io.hodei.server.providers;

import io.hodei.server.persistence.Db;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * The id of this Hodei installation, generated once in the database. Every worker carries it as a
 * label, so two installations sharing one backend never touch each other's workers.
 */
@ApplicationScoped
public class Installation {

  private final Db db;
  private volatile String id;

  public Installation(Db db) {
    this.db = db;
  }

  void onStart(@Observes @Priority(10) StartupEvent event) {
    id =
        db.tx(
                session ->
                    session
                        .createNativeQuery("select id from installation", String.class)
                        .getSingleResult())
            .await()
            .atMost(Duration.ofSeconds(60));
  }

  public String id() {
    if (id == null) {
      throw new IllegalStateException("the installation id is read at start; the server has not");
    }
    return id;
  }
}
