package io.hodei.core.workers;

import static io.hodei.core.workers.WorkerState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.core.IllegalTransitionException;
import org.junit.jupiter.api.Test;

class WorkerStateTest {

  @Test
  void aReusableWorkerAlternatesBetweenReadyAndBusy() {
    assertThat(PROVISIONING.moveTo(READY).moveTo(BUSY).moveTo(READY).moveTo(BUSY)).isEqualTo(BUSY);
  }

  @Test
  void aRegisteredWorkerCanBeLostButAStartingOneCanOnlyFailOrBeGivenUp() {
    assertThat(BUSY.canMoveTo(LOST)).isTrue();
    assertThat(PROVISIONING.canMoveTo(FAILED)).isTrue();
    assertThat(READY.canMoveTo(FAILED)).isFalse();
  }

  @Test
  void finalStatesAreFinal() {
    assertThat(TERMINATED.isFinal()).isTrue();
    assertThat(LOST.isFinal()).isTrue();
    assertThat(FAILED.isFinal()).isTrue();
    assertThatThrownBy(() -> TERMINATED.moveTo(READY))
        .isInstanceOf(IllegalTransitionException.class);
  }
}
