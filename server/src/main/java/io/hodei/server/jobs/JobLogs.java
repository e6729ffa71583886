package io.hodei.server.jobs;

import io.hodei.server.persistence.Db;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Reads a job's stored log lines, and follows them live. Following reads from PostgreSQL, so it
 * works on any server replica, whichever one the agent talks to.
 */
@ApplicationScoped
public class JobLogs {

  static final int PAGE = 1000;
  static final Duration POLL = Duration.ofMillis(250);

  private final Db db;

  public JobLogs(Db db) {
    this.db = db;
  }

  /** One stored line. */
  public record LogLineView(
      int attempt, long sequence, String stream, String step, String text, Instant at) {}

  private record Page(List<LogLineView> lines, boolean done) {}

  /** The lines stored so far, in order (attempt, then sequence). */
  public Uni<List<LogLineView>> read(UUID jobId, int afterAttempt, long afterSequence, int limit) {
    return db.tx(
        session ->
            session
                .createNativeQuery(
                    "select attempt, sequence, stream, step, text, at from job_logs"
                        + " where job_id = :job and (attempt, sequence) > (:attempt, :sequence)"
                        + " order by attempt, sequence limit :limit",
                    Object[].class)
                .setParameter("job", jobId)
                .setParameter("attempt", afterAttempt)
                .setParameter("sequence", afterSequence)
                .setParameter("limit", limit)
                .getResultList()
                .map(rows -> rows.stream().map(JobLogs::toView).toList()));
  }

  /** The lines so far, then new ones as they arrive, until the job has ended and all are sent. */
  public Multi<LogLineView> follow(UUID jobId) {
    long[] cursor = {0, 0};
    return Multi.createBy()
        .repeating()
        .uni(() -> nextPage(jobId, cursor))
        .withDelay(POLL)
        .whilst(page -> !page.done())
        .onItem()
        .transformToIterable(Page::lines);
  }

  private Uni<Page> nextPage(UUID jobId, long[] cursor) {
    // The state is read before the lines: once a job has ended, all its lines are stored.
    Uni<Boolean> ended =
        db.tx(
            session ->
                session
                    .find(JobEntity.class, jobId)
                    .map(job -> job == null || job.state.isFinal()));
    return ended.chain(
        done ->
            read(jobId, (int) cursor[0], cursor[1], PAGE)
                .map(
                    lines -> {
                      if (!lines.isEmpty()) {
                        LogLineView last = lines.get(lines.size() - 1);
                        cursor[0] = last.attempt();
                        cursor[1] = last.sequence();
                      }
                      return new Page(lines, done && lines.size() < PAGE);
                    }));
  }

  private static LogLineView toView(Object[] row) {
    return new LogLineView(
        ((Number) row[0]).intValue(),
        ((Number) row[1]).longValue(),
        (String) row[2],
        (String) row[3],
        (String) row[4],
        toInstant(row[5]));
  }

  private static Instant toInstant(Object value) {
    if (value instanceof Instant instant) {
      return instant;
    }
    if (value instanceof java.time.OffsetDateTime offset) {
      return offset.toInstant();
    }
    if (value instanceof java.time.LocalDateTime local) {
      return local.toInstant(java.time.ZoneOffset.UTC);
    }
    return null;
  }
}
