package io.hodei.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the real agent as a local process where a cloud would start a container: with the
 * environment the container would get (its bootstrap token among it), a workspace of its own in
 * place of the container's, and its output in {@code agent.log} there for a failing test to read.
 */
public final class LocalAgent {

  private LocalAgent() {}

  /**
   * @param agentJar the packaged agent ({@link HodeiServer#agentJar()})
   * @param workspace created if missing; becomes {@code HODEI_WORK_DIR}
   * @param environment what the container's environment would hold
   */
  public static Process start(Path agentJar, Path workspace, Map<String, String> environment)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(CoverageAgent.jvmOptions());
    command.add("-jar");
    command.add(agentJar.toString());
    ProcessBuilder agent = new ProcessBuilder(command);
    agent.environment().putAll(environment);
    Files.createDirectories(workspace);
    agent.environment().put("HODEI_WORK_DIR", workspace.toString());
    agent.redirectErrorStream(true).redirectOutput(workspace.resolve("agent.log").toFile());
    return agent.start();
  }
}
