package io.hodei.plugins.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker command line, for tests that look at the engine the way a person would. */
final class DockerCli {

  static final String SOCKET = "unix:///var/run/docker.sock";

  private DockerCli() {}

  /** Runs {@code docker args...}; fails with the command's output when it does not exit 0. */
  static String run(String... args) {
    return run(null, args);
  }

  /** Runs {@code docker args...} with {@code stdin} piped from a file, if given. */
  static String run(java.nio.file.Path stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (stdin != null) {
      builder.redirectInput(stdin.toFile());
    }
    try {
      Process process = builder.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = process.getInputStream()) {
        in.transferTo(out);
      }
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      String text = out.toString(StandardCharsets.UTF_8).trim();
      if (process.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited " + process.exitValue() + ": " + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run the docker command line; install docker.io (CI's .ci/run does)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + String.join(" ", command), e);
    }
  }

  /** A Go-template field of {@code docker inspect}, e.g. {@code {{json .Config.Env}}}. */
  static String inspect(String containerId, String format) {
    return run("inspect", "--format", format, containerId);
  }

  /** Whether the container still exists. */
  static boolean exists(String containerId) {
    try {
      run("inspect", "--format", "{{.Id}}", containerId);
      return true;
    } catch (AssertionError e) {
      if (e.getMessage().contains("No such")) {
        return false;
      }
      throw e;
    }
  }
}
