package io.hodei.agent;

/** Why the agent stopped, and the process exit code that tells its provider. */
public enum AgentExit {
  /** The control plane sent Shutdown. */
  SHUTDOWN(0),
  /** Something the agent did not expect; its log says what. */
  FAILED(1),
  /** The environment is missing a variable or holds a malformed one. */
  CONFIG_INVALID(2),
  /**
   * The control plane refused the agent's credentials (the bootstrap token at Register, or the
   * session at Connect). Retrying cannot help: the token is one-shot.
   */
  REJECTED(3),
  /** No connection to the control plane for longer than the orphan timeout. */
  ORPHANED(4),
  /** Stopped from outside (SIGTERM, SIGINT) or by {@link Agent#stop()}. */
  STOPPED(143);

  private final int code;

  AgentExit(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
