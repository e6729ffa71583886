package io.hodei.core.pools;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.ProviderHealth;
import io.hodei.plugin.api.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlacementTest {

  private static final Pool POOL =
      new Pool("default", "local-1", 2, 1, Duration.ofMinutes(5), Duration.ofMinutes(2));
  private static final Resources BIG = Resources.of(8000, 16384);

  private static Optional<PoolSnapshot> snapshot(
      ProviderHealth health, int active, List<String> idle) {
    return Optional.of(
        new PoolSnapshot(POOL, Optional.ofNullable(health), BIG, active, idle, List.of()));
  }

  @Test
  void aJobInAnUnknownPoolWaitsWithThatReason() {
    assertThat(Placement.place("gpu", Resources.NONE, Optional.empty()))
        .isEqualTo(new Placement.Wait("pool 'gpu' does not exist"));
  }

  @Test
  void aProviderNotCheckedYetStillGetsWork() {
    assertThat(
            Placement.place(
                "default", Resources.NONE, snapshot(ProviderHealth.unknown(), 0, List.of())))
        .isEqualTo(new Placement.Provision());
  }

  @Test
  void anUnhealthyProviderMakesJobsWaitWithItsDetail() {
    assertThat(
            Placement.place(
                "default",
                Resources.NONE,
                snapshot(ProviderHealth.unhealthy("engine unreachable"), 0, List.of())))
        .isEqualTo(new Placement.Wait("provider local-1 unhealthy: engine unreachable"));
  }

  @Test
  void aRequestNoProviderCanMeetSaysWhichDimension() {
    Placement.Decision decision =
        Placement.place(
            "default", Resources.of(1000, 65536), snapshot(ProviderHealth.healthy(), 0, List.of()));
    assertThat(decision)
        .isEqualTo(
            new Placement.Wait(
                "no provider in pool 'default' can offer 65536 MiB memory (at most 16384 MiB)"));
  }

  @Test
  void aFullPoolMakesJobsWait() {
    assertThat(
            Placement.place(
                "default", Resources.NONE, snapshot(ProviderHealth.healthy(), 2, List.of())))
        .isInstanceOf(Placement.Wait.class);
  }

  @Test
  void anIdleWorkerIsReusedBeforeANewOneIsStarted() {
    assertThat(
            Placement.place(
                "default", Resources.NONE, snapshot(ProviderHealth.healthy(), 2, List.of("w1"))))
        .isEqualTo(new Placement.Reuse("w1"));
    assertThat(
            Placement.place(
                "default", Resources.NONE, snapshot(ProviderHealth.healthy(), 1, List.of())))
        .isEqualTo(new Placement.Provision());
  }

  @Test
  void aFullPoolRetiresAnIdleWorkerOfAnotherShapeInsteadOfWaitingForItsIdleTimeout() {
    PoolSnapshot full =
        new PoolSnapshot(
            POOL, Optional.of(ProviderHealth.healthy()), BIG, 2, List.of(), List.of("w-other"));
    assertThat(Placement.place("default", Resources.NONE, Optional.of(full)))
        .isEqualTo(new Placement.Replace("w-other"));

    PoolSnapshot withRoom =
        new PoolSnapshot(
            POOL, Optional.of(ProviderHealth.healthy()), BIG, 1, List.of(), List.of("w-other"));
    assertThat(Placement.place("default", Resources.NONE, Optional.of(withRoom)))
        .as("with room for one more, the idle worker is left for a job it fits")
        .isEqualTo(new Placement.Provision());

    PoolSnapshot matching =
        new PoolSnapshot(
            POOL,
            Optional.of(ProviderHealth.healthy()),
            BIG,
            2,
            List.of("w-same"),
            List.of("w-other"));
    assertThat(Placement.place("default", Resources.NONE, Optional.of(matching)))
        .isEqualTo(new Placement.Reuse("w-same"));
  }
}
