package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Retry delays grow exponentially up to a cap, with half of each delay random. */
class JitteredBackoffTest {

  private static JitteredBackoff withRandom(double random) {
    return new JitteredBackoff(5, Duration.ofMillis(800), Duration.ofSeconds(10), () -> random);
  }

  @Test
  void theDelayDoublesAndHalfOfItIsJitter() {
    assertThat(withRandom(0).calculateRetryDelay(0)).isEqualTo(Duration.ofMillis(400));
    assertThat(withRandom(0.999_999).calculateRetryDelay(0))
        .isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
    assertThat(withRandom(0).calculateRetryDelay(1)).isEqualTo(Duration.ofMillis(800));
    assertThat(withRandom(0).calculateRetryDelay(2)).isEqualTo(Duration.ofMillis(1600));
    assertThat(withRandom(0.5).calculateRetryDelay(2)).isEqualTo(Duration.ofMillis(2400));
  }

  @Test
  void theDelayNeverExceedsTheMaximum() {
    assertThat(withRandom(0.999_999).calculateRetryDelay(30))
        .isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(withRandom(0).calculateRetryDelay(30)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void twoCallersThrottledTogetherWaitDifferentTimes() {
    JitteredBackoff one = withRandom(0.1);
    JitteredBackoff two = withRandom(0.9);

    assertThat(one.calculateRetryDelay(3)).isNotEqualTo(two.calculateRetryDelay(3));
  }

  @Test
  void networkFailuresAreRetriedButAnInterruptedCallIsNot() {
    JitteredBackoff backoff = withRandom(0);

    assertThat(backoff.shouldRetryException(new IOException("connection reset"))).isTrue();
    assertThat(
            backoff.shouldRetryException(
                new RuntimeException(new InterruptedException("host gave up"))))
        .isFalse();
  }
}
