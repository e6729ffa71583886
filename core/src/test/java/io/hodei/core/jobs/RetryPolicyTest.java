package io.hodei.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(4, Duration.ofSeconds(2), Duration.ofSeconds(5), false);

  @Test
  void infrastructureFailuresAreRetriedWithDoublingBackoffUpToTheCap() {
    assertThat(policy.retryAfter(1, FailureKind.INFRASTRUCTURE)).contains(Duration.ofSeconds(2));
    assertThat(policy.retryAfter(2, FailureKind.INFRASTRUCTURE)).contains(Duration.ofSeconds(4));
    assertThat(policy.retryAfter(3, FailureKind.INFRASTRUCTURE)).contains(Duration.ofSeconds(5));
  }

  @Test
  void theLastAttemptIsNotRetried() {
    assertThat(policy.retryAfter(4, FailureKind.INFRASTRUCTURE)).isEmpty();
  }

  @Test
  void jobFailuresAreNotRetriedByDefault() {
    assertThat(RetryPolicy.DEFAULT.retryAfter(1, FailureKind.JOB)).isEmpty();
    assertThat(RetryPolicy.DEFAULT.retryAfter(1, FailureKind.INFRASTRUCTURE)).isPresent();
  }

  @Test
  void jobFailuresAreRetriedWhenThePolicySaysSo() {
    RetryPolicy retryAll = new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), true);
    assertThat(retryAll.retryAfter(1, FailureKind.JOB)).contains(Duration.ofSeconds(1));
  }
}
