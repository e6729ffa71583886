package io.hodei.server.persistence;

import io.vertx.pgclient.PgException;

/** Recognises PostgreSQL's answer to a second row with the same key, however it is wrapped. */
public final class UniqueViolation {

  private static final String SQL_STATE = "23505";

  private UniqueViolation() {}

  public static boolean causes(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof PgException pg && SQL_STATE.equals(pg.getSqlState())) {
        return true;
      }
      if (cause instanceof org.hibernate.exception.ConstraintViolationException violation
          && SQL_STATE.equals(violation.getSQLState())) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
