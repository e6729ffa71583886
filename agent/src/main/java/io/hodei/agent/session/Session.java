package io.hodei.agent.session;

import java.time.Duration;

/**
 * What Register granted: the session token that authenticates every Connect, and the timing the
 * control plane expects.
 */
public record Session(String token, Duration heartbeatInterval, Duration resumeWindow) {

  /** Leaves out the token, so a session can be logged. */
  @Override
  public String toString() {
    return "Session[heartbeatInterval="
        + heartbeatInterval.toMillis()
        + "ms, resumeWindow="
        + resumeWindow.toMillis()
        + "ms]";
  }
}
