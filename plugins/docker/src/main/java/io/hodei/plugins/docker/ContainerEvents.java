package io.hodei.plugins.docker;

import com.github.dockerjava.api.model.Event;
import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.WorkerEvent;
import io.hodei.plugin.api.WorkerState;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Decides which engine events are news for the host: a container that died or was removed while
 * Hodei was not terminating it. Its own terminations are recognised by the container's name, which
 * terminate changes before it stops the container, so that every instance watching the engine
 * (another replica's too) knows the end was asked for.
 */
final class ContainerEvents {

  private final Clock clock;
  private final Function<String, String> lastOutput;
  private final Set<String> outOfMemory = ConcurrentHashMap.newKeySet();

  /**
   * @param lastOutput the last lines of a container, by id, described for a person
   */
  ContainerEvents(Clock clock, Function<String, String> lastOutput) {
    this.clock = clock;
    this.lastOutput = lastOutput;
  }

  Optional<WorkerEvent> interpret(Event event) {
    Map<String, String> attributes =
        event.getActor() == null || event.getActor().getAttributes() == null
            ? Map.of()
            : event.getActor().getAttributes();
    String workerId = attributes.get(PluginApi.LABEL_WORKER);
    String name = attributes.getOrDefault("name", event.getId());
    String action = event.getAction() == null ? "" : event.getAction();
    if (workerId == null) {
      return Optional.empty();
    }
    if (action.equals("oom")) {
      // The die event follows; it carries the exit code.
      outOfMemory.add(event.getId());
      return Optional.empty();
    }
    boolean ours = name.endsWith(WorkerContainer.TERMINATING_SUFFIX);
    if (action.equals("destroy")) {
      outOfMemory.remove(event.getId());
      return ours
          ? Optional.empty()
          : Optional.of(
              new WorkerEvent(
                  workerId,
                  WorkerEvent.Kind.VANISHED,
                  "container " + name + " was removed outside Hodei",
                  clock.instant()));
    }
    if (!action.equals("die") || ours) {
      return Optional.empty();
    }
    int exitCode = parseExitCode(attributes.get("exitCode"));
    boolean oom = outOfMemory.remove(event.getId());
    WorkerEvent.Kind kind =
        oom || ContainerStates.stateOfExit(exitCode) == WorkerState.FAILED
            ? WorkerEvent.Kind.FAILED
            : WorkerEvent.Kind.EXITED;
    String why =
        oom
            ? "was killed for running out of memory (exit code " + exitCode + ")"
            : ContainerStates.describeExit(exitCode);
    return Optional.of(
        new WorkerEvent(
            workerId,
            kind,
            "container " + name + " " + why + "; " + lastOutput.apply(event.getId()),
            clock.instant()));
  }

  private static int parseExitCode(String text) {
    try {
      return text == null ? -1 : Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
