package io.hodei.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementPassesTest {

  @Test
  void batchesAndIntervalsOfPasses() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    PlacementPasses passes =
        PlacementPasses.of(
            Map.of(start.plusMillis(300), 10, start, 100, start.plusMillis(100), 40));

    assertThat(passes.count()).isEqualTo(3);
    assertThat(passes.maxBatch()).isEqualTo(100);
    assertThat(passes.meanBatch()).isEqualTo(50.0);
    assertThat(passes.interval().at(50)).contains(Duration.ofMillis(100));
    assertThat(passes.interval().at(99)).contains(Duration.ofMillis(200));
  }

  @Test
  void noPasses() {
    PlacementPasses passes = PlacementPasses.of(Map.of());

    assertThat(passes.count()).isZero();
    assertThat(passes.describe()).startsWith("0 passes");
  }
}
