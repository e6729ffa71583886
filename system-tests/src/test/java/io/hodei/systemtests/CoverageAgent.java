package io.hodei.systemtests;

import java.util.List;

/**
 * The JaCoCo agent option that the build passes in {@code hodei.test.coverageAgent}, for every
 * server and agent JVM the tests start, so that the coverage report includes what the packaged
 * server and the agents ran. None when the property is unset or empty (coverage skipped).
 */
final class CoverageAgent {

  static final String PROPERTY = "hodei.test.coverageAgent";

  private CoverageAgent() {}

  /** The JVM options to add before {@code -jar}: the agent option alone, or nothing. */
  static List<String> jvmOptions() {
    String option = System.getProperty(PROPERTY, "").strip();
    // The plugin quotes the option when its paths hold spaces; a process argument needs none.
    if (option.length() > 1 && option.startsWith("\"") && option.endsWith("\"")) {
      option = option.substring(1, option.length() - 1);
    }
    return option.startsWith("-javaagent:") ? List.of(option) : List.of();
  }
}
