package io.hodei.agent.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobWorkspaceTest {

  @TempDir Path workDir;

  @Test
  void givesEachRunAFreshDirectory() throws Exception {
    JobWorkspace workspace = new JobWorkspace(workDir);

    Path first = workspace.prepare("job/1", 2, "");
    Path second = workspace.prepare("job/1", 2, "");

    assertThat(first).isDirectory().isEqualTo(workDir.resolve("jobs/job_1-2"));
    assertThat(second).isDirectory().isNotEqualTo(first);
  }

  @Test
  void resolvesAWorkingDirectoryInsideTheWorkDir() throws Exception {
    Path dir = new JobWorkspace(workDir).prepare("j", 1, "src/app");

    assertThat(dir).isDirectory().isEqualTo(workDir.resolve("src/app"));
  }

  @Test
  void refusesAWorkingDirectoryOutsideTheWorkDir() {
    JobWorkspace workspace = new JobWorkspace(workDir);

    assertThatThrownBy(() -> workspace.prepare("j", 1, "../elsewhere"))
        .hasMessageContaining("inside the agent's work directory");
    assertThatThrownBy(() -> workspace.prepare("j", 1, "/etc"))
        .hasMessageContaining("inside the agent's work directory");
  }
}
