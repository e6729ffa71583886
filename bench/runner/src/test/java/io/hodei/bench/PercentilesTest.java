package io.hodei.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankOfOneToHundred() {
    List<Duration> samples =
        new ArrayList<>(IntStream.rangeClosed(1, 100).mapToObj(Duration::ofMillis).toList());
    Collections.shuffle(samples);

    Percentiles percentiles = Percentiles.of(samples);

    assertThat(percentiles.at(50)).contains(Duration.ofMillis(50));
    assertThat(percentiles.at(99)).contains(Duration.ofMillis(99));
    assertThat(percentiles.at(100)).contains(Duration.ofMillis(100));
    assertThat(percentiles.count()).isEqualTo(100);
  }

  @Test
  void aSmallSampleGivesObservedValuesOnly() {
    Percentiles percentiles =
        Percentiles.of(List.of(Duration.ofMillis(3), Duration.ofMillis(1), Duration.ofMillis(2)));

    assertThat(percentiles.at(50)).contains(Duration.ofMillis(2));
    assertThat(percentiles.at(99)).contains(Duration.ofMillis(3));
    assertThat(percentiles.at(1)).contains(Duration.ofMillis(1));
  }

  @Test
  void formatsMillisAndEmptySamples() {
    assertThat(Percentiles.of(List.of(Duration.ofNanos(12_345_000))).millis(50)).isEqualTo("12.3");
    assertThat(Percentiles.of(List.of()).millis(99)).isEqualTo("-");
  }

  @Test
  void refusesPercentilesOutsideTheRange() {
    assertThatThrownBy(() -> Percentiles.of(List.of()).at(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Percentiles.of(List.of()).at(101))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
