package io.hodei.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.core.FieldProblem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobSpecTest {

  private static JobSpec spec(String name, List<Step> steps) {
    return new JobSpec(
        name, steps, Optional.empty(), null, null, null, null, null, null, null, null, null);
  }

  @Test
  void aMinimalSpecIsValidAndGetsDefaults() {
    JobSpec spec = spec("build", List.of(new Step("main", "echo hi")));
    assertThat(spec.problems()).isEmpty();
    assertThat(spec.timeout()).isEqualTo(JobSpec.DEFAULT_TIMEOUT);
    assertThat(spec.pool()).isEqualTo("default");
    assertThat(spec.retry()).isEqualTo(RetryPolicy.DEFAULT);
  }

  @Test
  void everyProblemNamesItsField() {
    JobSpec spec =
        new JobSpec(
            "",
            List.of(new Step("", " ")),
            Optional.empty(),
            Map.of("HODEI_BOOTSTRAP_TOKEN", "x", "1bad", "y"),
            "../etc",
            null,
            Duration.ZERO,
            Map.of("Bad Key", "v"),
            null,
            "Not A Pool",
            null,
            null);
    assertThat(spec.problems())
        .extracting(FieldProblem::field)
        .containsExactlyInAnyOrder(
            "name",
            "steps[0].name",
            "steps[0].command",
            "env.HODEI_BOOTSTRAP_TOKEN",
            "env.1bad",
            "workingDirectory",
            "timeout",
            "labels.Bad Key",
            "pool");
  }

  @Test
  void aJobNeedsAtLeastOneStep() {
    assertThat(spec("x", List.of()).problems())
        .containsExactly(new FieldProblem("steps", "give a command or at least one step"));
  }

  @Test
  void aPoolSelectorReplacesThePoolAndIsValidated() {
    JobSpec selecting = withSelector(null, Map.of("region", "eu", "gpu", "true"));
    assertThat(selecting.problems()).isEmpty();
    assertThat(selecting.selectsPool()).isTrue();
    assertThat(selecting.pool()).isEmpty();

    assertThat(withSelector("default", Map.of("region", "eu")).problems())
        .extracting(FieldProblem::field)
        .containsExactly("poolSelector");
    assertThat(withSelector(null, Map.of("Bad Key", "eu", "region", "")).problems())
        .extracting(FieldProblem::field)
        .containsExactlyInAnyOrder("poolSelector.Bad Key", "poolSelector.region");
  }

  private static JobSpec withSelector(String pool, Map<String, String> selector) {
    return new JobSpec(
        "build",
        List.of(new Step("main", "make")),
        Optional.empty(),
        null,
        null,
        null,
        null,
        null,
        null,
        pool,
        null,
        selector);
  }
}
