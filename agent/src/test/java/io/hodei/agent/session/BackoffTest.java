package io.hodei.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesWithJitterUpToTheCapAndStartsOverAfterReset() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(7));

    assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
    assertThat(backoff.next().toMillis()).isBetween(100L, 200L);
    assertThat(backoff.next().toMillis()).isBetween(200L, 400L);
    for (int i = 0; i < 40; i++) {
      assertThat(backoff.next().toMillis()).isBetween(50L, 10_000L);
    }
    assertThat(backoff.next().toMillis()).isBetween(5_000L, 10_000L);

    backoff.reset();
    assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
  }
}
