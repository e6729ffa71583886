package io.hodei.core.governance;

import static io.hodei.core.governance.Fixtures.U;
import static io.hodei.core.governance.Fixtures.labelQuota;
import static io.hodei.core.governance.Fixtures.limits;
import static io.hodei.core.governance.Fixtures.pool;
import static io.hodei.core.governance.Fixtures.quota;
import static io.hodei.core.governance.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.core.governance.ledger.Ledger;
import io.hodei.core.governance.ledger.LiveAttempt;
import io.hodei.core.governance.ledger.Reconciliation;
import io.hodei.core.governance.snapshot.Amounts;
import io.hodei.core.governance.snapshot.Reservation;
import io.hodei.core.governance.snapshot.Reservation.Claim;
import io.hodei.plugin.api.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerTest {

  private static final Claim GPU_CLAIM =
      new Claim("gpu", "docker", "acme", new Resources(2000, 4096, 1, 0));

  @Test
  void aReservationCountsAgainstItsPoolItsInstanceItsTenantAndItsLabelQuotas() {
    Ledger ledger = ledger();

    ledger.reserve(GPU_CLAIM);

    Amounts held = new Amounts(2000, 4096, 1, 1, 1);
    assertThat(ledger.pool("gpu").amounts()).isEqualTo(held);
    assertThat(ledger.instance("docker").amounts()).isEqualTo(held);
    assertThat(ledger.tenant("acme").amounts()).isEqualTo(held);
    assertThat(ledger.tenantLabel("acme", 0).amounts()).isEqualTo(held);
    assertThat(ledger.tenant("globex").amounts()).isEqualTo(Amounts.ZERO);
  }

  @Test
  void aReleaseTakesBackExactlyWhatWasReserved() {
    Ledger ledger = ledger();
    ledger.reserve(GPU_CLAIM);
    ledger.reserve(GPU_CLAIM);

    ledger.release(GPU_CLAIM);

    assertThat(ledger.pool("gpu").amounts()).isEqualTo(new Amounts(2000, 4096, 1, 1, 1));
    assertThat(ledger.tenantLabel("acme", 0).amounts()).isEqualTo(new Amounts(2000, 4096, 1, 1, 1));
  }

  @Test
  void aReleaseOfAClaimNeverHeldDoesNotGoBelowZero() {
    Ledger ledger = ledger();

    ledger.release(GPU_CLAIM);

    assertThat(ledger.pool("gpu").amounts()).isEqualTo(Amounts.ZERO);
  }

  @Test
  void reconciliationReleasesOrphansAndRecordsWhatLiveAttemptsLack() {
    Claim cpu = new Claim("cpu", "docker", "acme", Resources.of(1000, 1024));
    List<Reservation> reservations =
        List.of(
            new Reservation("live", cpu),
            new Reservation("ended", cpu),
            new Reservation("resized", cpu),
            new Reservation("live", cpu));
    List<LiveAttempt> live =
        List.of(
            new LiveAttempt("live", cpu),
            new LiveAttempt("resized", GPU_CLAIM),
            new LiveAttempt("unrecorded", cpu));

    Reconciliation reconciliation = Reconciliation.of(reservations, live);

    // "live" is counted twice: one of its two reservations goes.
    assertThat(reconciliation.orphaned())
        .containsExactly(
            new Reservation("ended", cpu),
            new Reservation("resized", cpu),
            new Reservation("live", cpu));
    assertThat(reconciliation.missing())
        .containsExactly(new Reservation("resized", GPU_CLAIM), new Reservation("unrecorded", cpu));
    assertThat(reconciliation.clean()).isFalse();
  }

  @Test
  void aLedgerThatMatchesTheLiveAttemptsIsClean() {
    Claim cpu = new Claim("cpu", "docker", "acme", Resources.of(1000, 1024));

    assertThat(
            Reconciliation.of(
                    List.of(new Reservation("a1", cpu)), List.of(new LiveAttempt("a1", cpu)))
                .clean())
        .isTrue();
  }

  private static Ledger ledger() {
    return Ledger.of(
        snapshot()
            .pool(pool("gpu").label("gpu", "true").instance("docker"))
            .pool(pool("cpu").instance("docker"))
            .quota(
                quota(
                    "acme",
                    Amounts.NO_LIMIT,
                    labelQuota(Map.of("gpu", "true"), limits(U, U, 4, U, U))))
            .build());
  }
}
