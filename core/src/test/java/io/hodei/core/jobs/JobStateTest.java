package io.hodei.core.jobs;

import static io.hodei.core.jobs.JobState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.core.IllegalTransitionException;
import org.junit.jupiter.api.Test;

class JobStateTest {

  @Test
  void theHappyPathIsAllowed() {
    assertThat(PENDING.moveTo(PROVISIONING).moveTo(RUNNING).moveTo(SUCCEEDED)).isEqualTo(SUCCEEDED);
  }

  @Test
  void anInfrastructureFailureSendsAJobBackToPending() {
    assertThat(PROVISIONING.canMoveTo(PENDING)).isTrue();
    assertThat(RUNNING.canMoveTo(PENDING)).isTrue();
  }

  @Test
  void aPendingJobCanBeCancelledButNotStartedRunning() {
    assertThat(PENDING.canMoveTo(CANCELLED)).isTrue();
    assertThat(PENDING.canMoveTo(RUNNING)).isFalse();
    assertThat(PENDING.canMoveTo(SUCCEEDED)).isFalse();
  }

  @Test
  void finalStatesNeverChange() {
    for (JobState done : new JobState[] {SUCCEEDED, FAILED, TIMED_OUT, CANCELLED}) {
      assertThat(done.isFinal()).isTrue();
      for (JobState next : values()) {
        assertThat(done.canMoveTo(next)).as(done + " -> " + next).isFalse();
      }
    }
  }

  @Test
  void anIllegalMoveIsRefusedWithBothStatesNamed() {
    assertThatThrownBy(() -> SUCCEEDED.moveTo(RUNNING))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessage("a job cannot go from SUCCEEDED to RUNNING");
    assertThatThrownBy(() -> RUNNING.moveTo(RUNNING))
        .isInstanceOf(IllegalTransitionException.class);
  }
}
