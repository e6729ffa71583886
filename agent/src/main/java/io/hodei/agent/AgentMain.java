package io.hodei.agent;

import io.hodei.agent.config.AgentConfig;
import io.hodei.agent.config.ConfigException;
import java.nio.file.Path;
import java.util.logging.Logger;

/** Starts the agent from the environment and exits with its {@link AgentExit} code. */
public final class AgentMain {

  private AgentMain() {}

  public static void main(String[] args) {
    AgentLogging.configure();
    AgentConfig config;
    try {
      config = AgentConfig.fromEnvironment(System.getenv(), Path.of("").toAbsolutePath());
    } catch (ConfigException e) {
      System.err.println("hodei-agent: " + e.getMessage());
      System.exit(AgentExit.CONFIG_INVALID.code());
      return;
    }
    Logger.getLogger(AgentMain.class.getName()).info("starting with " + config);
    Agent agent = new Agent(config);
    // SIGTERM from the provider (or the exit below) must not leave the job's processes behind.
    Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "agent-exit"));
    AgentExit exit = agent.run();
    Logger.getLogger(AgentMain.class.getName()).info("exiting: " + exit + " (" + exit.code() + ")");
    System.exit(exit.code());
  }
}
