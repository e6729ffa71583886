package io.hodei.core.governance.ledger;

import io.hodei.core.governance.snapshot.Reservation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What brings the ledger back in line with the live attempts, after a crash or a missed release.
 *
 * @param orphaned reservations to release: their attempt is no longer live, or they hold something
 *     other than the attempt runs with
 * @param missing reservations to record for live attempts that hold none (or held the wrong one)
 */
public record Reconciliation(List<Reservation> orphaned, List<Reservation> missing) {

  public Reconciliation {
    orphaned = List.copyOf(orphaned);
    missing = List.copyOf(missing);
  }

  /** Compares the ledger's reservations with the attempts that are live. */
  public static Reconciliation of(List<Reservation> reservations, List<LiveAttempt> live) {
    Map<String, LiveAttempt> liveById = new HashMap<>();
    live.forEach(attempt -> liveById.put(attempt.attemptId(), attempt));
    Map<String, Reservation> kept = new HashMap<>();
    List<Reservation> orphaned = new ArrayList<>();
    for (Reservation reservation : reservations) {
      LiveAttempt attempt = liveById.get(reservation.attemptId());
      boolean matches = attempt != null && attempt.claim().equals(reservation.claim());
      // A second reservation for the same attempt is a double count: release it too.
      if (matches && kept.putIfAbsent(reservation.attemptId(), reservation) == null) {
        continue;
      }
      orphaned.add(reservation);
    }
    List<Reservation> missing = new ArrayList<>();
    for (LiveAttempt attempt : live) {
      if (!kept.containsKey(attempt.attemptId())) {
        missing.add(new Reservation(attempt.attemptId(), attempt.claim()));
      }
    }
    return new Reconciliation(orphaned, missing);
  }

  /** Whether the ledger already matches the live attempts. */
  public boolean clean() {
    return orphaned.isEmpty() && missing.isEmpty();
  }
}
