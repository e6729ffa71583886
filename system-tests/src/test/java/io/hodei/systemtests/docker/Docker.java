package io.hodei.systemtests.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker command line and a few host commands, as the end-to-end tests use them. */
final class Docker {

  static final String SOCKET = "unix:///var/run/docker.sock";

  private Docker() {}

  static String docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return exec(null, command);
  }

  static String dockerWithInput(Path stdin, String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return exec(stdin, command);
  }

  static String exec(Path stdin, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (stdin != null) {
      builder.redirectInput(stdin.toFile());
    }
    try {
      Process process = builder.start();
      String out;
      try (InputStream in = process.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited " + process.exitValue() + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run " + command.get(0) + "; CI's .ci/run installs docker.io", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + String.join(" ", command), e);
    }
  }

  static boolean exists(String containerId) {
    try {
      docker("inspect", "--format", "{{.Id}}", containerId);
      return true;
    } catch (AssertionError e) {
      if (e.getMessage().contains("No such")) {
        return false;
      }
      throw e;
    }
  }

  static String label(String containerId, String label) {
    return docker("inspect", "--format", "{{index .Config.Labels \"" + label + "\"}}", containerId);
  }
}
