package io.hodei.plugins.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.WorkerState;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * Stopped tasks are classified from ECS's stop code, stopped reason and container reason, in the
 * words the ECS documentation gives for each ("Stopped task error codes").
 */
class TaskVerdictTest {

  @Test
  void anImageThatCannotBePulledIsAnInfrastructureFailure() {
    TaskVerdict verdict =
        TaskVerdict.of(
            stopped(
                TaskStopCode.TASK_FAILED_TO_START,
                "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
                container(null, "CannotPullContainerError: ref not found")));

    assertThat(verdict.state()).isEqualTo(WorkerState.FAILED);
    assertThat(verdict.infrastructureFailure()).isTrue();
    assertThat(verdict.detail())
        .startsWith("infrastructure failure: image pull failed: ")
        .contains("ref not found");
  }

  @Test
  void aSpotInterruptionIsAnInfrastructureFailure() {
    TaskVerdict byCode =
        TaskVerdict.of(
            stopped(TaskStopCode.SPOT_INTERRUPTION, "Your Spot Task was interrupted.", null));
    TaskVerdict byNotice =
        TaskVerdict.of(
            stopped(
                TaskStopCode.TERMINATION_NOTICE,
                "Task stopped due to a termination notice",
                container(143, null)));

    assertThat(byCode.state()).isEqualTo(WorkerState.FAILED);
    assertThat(byCode.infrastructureFailure()).isTrue();
    assertThat(byCode.detail())
        .isEqualTo(
            "infrastructure failure: Spot interruption or termination notice: SpotInterruption:"
                + " Your Spot Task was interrupted.");
    assertThat(byNotice.infrastructureFailure()).isTrue();
    assertThat(byNotice.exitCode()).as("the job's exit code is not the verdict here").isEmpty();
  }

  @Test
  void aResourceInitializationErrorIsAnInfrastructureFailure() {
    TaskVerdict verdict =
        TaskVerdict.of(
            stopped(
                TaskStopCode.TASK_FAILED_TO_START,
                "ResourceInitializationError: unable to pull secrets or registry auth",
                null));

    assertThat(verdict.state()).isEqualTo(WorkerState.FAILED);
    assertThat(verdict.detail())
        .isEqualTo(
            "infrastructure failure: resource initialization failed: ResourceInitializationError:"
                + " unable to pull secrets or registry auth");
  }

  @Test
  void anotherFailureToStartIsAnInfrastructureFailureWithItsReason() {
    TaskVerdict verdict =
        TaskVerdict.of(
            stopped(
                TaskStopCode.TASK_FAILED_TO_START,
                "Timeout waiting for network interface provisioning to complete.",
                null));

    assertThat(verdict.state()).isEqualTo(WorkerState.FAILED);
    assertThat(verdict.detail())
        .isEqualTo(
            "infrastructure failure: TaskFailedToStart: Timeout waiting for network interface"
                + " provisioning to complete.");
  }

  @Test
  void anEssentialContainerExitIsTheJobsOwnEndWithItsExitCode() {
    TaskVerdict failedJob =
        TaskVerdict.of(
            stopped(
                TaskStopCode.ESSENTIAL_CONTAINER_EXITED,
                "Essential container in task exited",
                container(3, null)));
    TaskVerdict succeeded =
        TaskVerdict.of(
            stopped(
                TaskStopCode.ESSENTIAL_CONTAINER_EXITED,
                "Essential container in task exited",
                container(0, null)));

    assertThat(failedJob.state()).isEqualTo(WorkerState.EXITED);
    assertThat(failedJob.infrastructureFailure()).isFalse();
    assertThat(failedJob.exitCode()).contains(3);
    assertThat(failedJob.detail()).isEqualTo("exit code 3");
    assertThat(succeeded.exitCode()).contains(0);
  }

  @Test
  void anOutOfMemoryKillIsAnInfrastructureFailureThatKeepsTheExitCode() {
    TaskVerdict verdict =
        TaskVerdict.of(
            stopped(
                TaskStopCode.ESSENTIAL_CONTAINER_EXITED,
                "Essential container in task exited",
                container(137, "OutOfMemoryError: Container killed due to memory usage")));

    assertThat(verdict.state()).isEqualTo(WorkerState.FAILED);
    assertThat(verdict.infrastructureFailure()).isTrue();
    assertThat(verdict.exitCode()).contains(137);
  }

  @Test
  void aStopTaskCallEndsTheWorkerWithoutFailure() {
    TaskVerdict verdict =
        TaskVerdict.of(
            stopped(TaskStopCode.USER_INITIATED, "hodei: JOB_FINISHED", container(143, null)));

    assertThat(verdict.state()).isEqualTo(WorkerState.EXITED);
    assertThat(verdict.detail()).isEqualTo("stopped: UserInitiated: hodei: JOB_FINISHED");
  }

  @Test
  void liveStatusesArePendingUntilRunningAndStoppingStillRuns() {
    assertThat(TaskVerdict.of(live("PROVISIONING", "RUNNING")).state())
        .isEqualTo(WorkerState.PENDING);
    assertThat(TaskVerdict.of(live("PENDING", "RUNNING")).state()).isEqualTo(WorkerState.PENDING);
    assertThat(TaskVerdict.of(live("ACTIVATING", "RUNNING")).state())
        .isEqualTo(WorkerState.PENDING);
    assertThat(TaskVerdict.of(live("RUNNING", "RUNNING")).state()).isEqualTo(WorkerState.RUNNING);
    TaskVerdict stopping = TaskVerdict.of(live("DEACTIVATING", "STOPPED"));
    assertThat(stopping.state()).isEqualTo(WorkerState.RUNNING);
    assertThat(stopping.detail()).startsWith("stopping");
  }

  private static Task live(String lastStatus, String desiredStatus) {
    return Task.builder().lastStatus(lastStatus).desiredStatus(desiredStatus).build();
  }

  private static Task stopped(TaskStopCode code, String reason, Container container) {
    Task.Builder task =
        Task.builder()
            .lastStatus("STOPPED")
            .desiredStatus("STOPPED")
            .stopCode(code)
            .stoppedReason(reason);
    Optional.ofNullable(container).ifPresent(task::containers);
    return task.build();
  }

  private static Container container(Integer exitCode, String reason) {
    return Container.builder().name("worker").exitCode(exitCode).reason(reason).build();
  }
}
