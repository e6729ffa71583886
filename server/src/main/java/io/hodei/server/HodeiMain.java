package io.hodei.server;

import io.hodei.server.database.EmbeddedDatabase;
import io.hodei.server.home.HodeiHome;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts Hodei. Before Quarkus boots, it starts the embedded PostgreSQL when no external database
 * is configured, because the datasource must exist before Flyway and Hibernate Reactive start.
 */
@QuarkusMain
public final class HodeiMain {

  private HodeiMain() {}

  public static void main(String... args) {
    HodeiHome home = HodeiHome.resolve();
    EmbeddedDatabase.startUnlessConfigured(home);
    Quarkus.run(args);
  }
}
