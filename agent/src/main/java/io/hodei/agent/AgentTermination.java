package io.hodei.agent;

/** Ends the agent's main loop with an exit reason; thrown where the decision is made. */
public final class AgentTermination extends RuntimeException {

  private final AgentExit exit;

  public AgentTermination(AgentExit exit, String message) {
    super(message);
    this.exit = exit;
  }

  public AgentExit exit() {
    return exit;
  }
}
