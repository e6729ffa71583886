package io.hodei.plugins.cloudrun.fake;

import java.util.Map;

/**
 * What the fake does where Cloud Run would start a task's container. Tests play the container: mark
 * it running at once, leave it pending, or start the real agent as a local process.
 */
public interface TaskRunner {

  /**
   * An execution's task is to start, with the environment its container would get. Called on a
   * request thread: start what runs and return.
   */
  void start(FakeCloudRun cloudRun, String executionName, Map<String, String> environment);

  /** The execution was cancelled or deleted: stop its container, if it runs. */
  default void stop(String executionName) {}

  /** The container starts at once and runs until the test ends it. */
  static TaskRunner startImmediately() {
    return (cloudRun, executionName, environment) -> cloudRun.markRunning(executionName);
  }

  /** The task stays pending, as when Cloud Run waits for capacity. */
  static TaskRunner neverStart() {
    return (cloudRun, executionName, environment) -> {};
  }
}
