package io.hodei.server.governance;

import io.hodei.core.governance.snapshot.Reservation;
import io.hodei.core.governance.snapshot.Reservation.Claim;
import io.hodei.plugin.api.Resources;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The capacity ledger's rows: one per admitted attempt, keyed by job and attempt. Every method runs
 * in the caller's transaction, so a reservation is written or deleted together with the change of
 * the job that admits or ends the attempt.
 */
public final class Reservations {

  private Reservations() {}

  /** The ledger's id for one attempt of a job. */
  public static String attemptId(UUID jobId, int attempt) {
    return jobId + "#" + attempt;
  }

  /**
   * What a claim holds as the ledger stores it: CPU, memory and GPUs. Disk is not governed, so a
   * stored and a recomputed claim compare equal.
   */
  public static Claim normalized(Claim claim) {
    Resources r = claim.resources();
    return new Claim(
        claim.pool(),
        claim.providerInstance(),
        claim.tenant(),
        new Resources(r.cpuMillis(), r.memoryMib(), r.gpus(), 0));
  }

  /** Records what an attempt holds. */
  public static Uni<Void> reserve(
      Mutiny.Session session, UUID jobId, int attempt, Claim claim, Instant now) {
    return session
        .createNativeQuery(
            "insert into reservations (job_id, attempt, pool, provider_instance, tenant,"
                + " cpu_millis, memory_mib, gpus, created_at) values (:job, :attempt, :pool,"
                + " :instance, :tenant, :cpu, :memory, :gpus, :now) on conflict do nothing")
        .setParameter("job", jobId)
        .setParameter("attempt", attempt)
        .setParameter("pool", claim.pool())
        .setParameter("instance", claim.providerInstance())
        .setParameter("tenant", claim.tenant())
        .setParameter("cpu", claim.resources().cpuMillis())
        .setParameter("memory", claim.resources().memoryMib())
        .setParameter("gpus", (long) claim.resources().gpus())
        .setParameter("now", now)
        .executeUpdate()
        .replaceWithVoid();
  }

  /** Releases what an attempt holds; releasing it twice, or one that held nothing, is a no-op. */
  public static Uni<Integer> release(Mutiny.Session session, UUID jobId, int attempt) {
    return session
        .createNativeQuery("delete from reservations where job_id = :job and attempt = :attempt")
        .setParameter("job", jobId)
        .setParameter("attempt", attempt)
        .executeUpdate();
  }

  /** Every reservation of the ledger. */
  public static Uni<List<Reservation>> all(Mutiny.Session session) {
    return session
        .createNativeQuery(
            "select cast(job_id as text), attempt, pool, provider_instance, tenant, cpu_millis,"
                + " memory_mib, gpus from reservations",
            Object[].class)
        .getResultList()
        .map(rows -> rows.stream().map(Reservations::reservation).toList());
  }

  /** Whether any attempt holds something in {@code pool}. */
  public static Uni<Boolean> anyInPool(Mutiny.Session session, String pool) {
    return session
        .createNativeQuery("select count(*) from reservations where pool = :pool", Long.class)
        .setParameter("pool", pool)
        .getSingleResult()
        .map(count -> count > 0);
  }

  private static Reservation reservation(Object[] row) {
    UUID job = UUID.fromString((String) row[0]);
    int attempt = ((Number) row[1]).intValue();
    Resources resources =
        new Resources(
            ((Number) row[5]).longValue(),
            ((Number) row[6]).longValue(),
            ((Number) row[7]).intValue(),
            0);
    return new Reservation(
        attemptId(job, attempt),
        new Claim((String) row[2], (String) row[3], (String) row[4], resources));
  }
}
