package io.hodei.plugins.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The last lines a container wrote: what a person needs when a worker never registered. */
final class ContainerLogs {

  private static final long WAIT_SECONDS = 10;

  private ContainerLogs() {}

  /** Up to {@code lines} last lines of stdout and stderr, interleaved as the engine kept them. */
  static List<String> tail(DockerClient client, String containerId, int lines)
      throws InterruptedException {
    StringBuilder text = new StringBuilder();
    ResultCallback.Adapter<Frame> callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            synchronized (text) {
              text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
          }
        };
    client
        .logContainerCmd(containerId)
        .withStdOut(true)
        .withStdErr(true)
        .withTail(lines)
        .exec(callback)
        .awaitCompletion(WAIT_SECONDS, TimeUnit.SECONDS);
    try {
      callback.close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot close the log stream of " + containerId, e);
    }
    List<String> result = new ArrayList<>();
    synchronized (text) {
      for (String line : text.toString().split("\n")) {
        if (!line.isBlank()) {
          result.add(line.stripTrailing());
        }
      }
    }
    return result;
  }

  /** The lines as one block for a detail message, or a note that there were none. */
  static String describe(List<String> lines) {
    return lines.isEmpty()
        ? "it wrote no output"
        : "its last output:\n  " + String.join("\n  ", lines);
  }
}
