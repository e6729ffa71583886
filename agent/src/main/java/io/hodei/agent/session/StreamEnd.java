package io.hodei.agent.session;

import io.grpc.Status;

/** How one Connect stream ended, and whether the control plane had spoken on it. */
public record StreamEnd(Kind kind, String detail, boolean heardFromServer) {

  /** The ways a stream ends that the agent treats differently. */
  public enum Kind {
    /** The control plane ordered the agent to stop. */
    SHUTDOWN,
    /** The control plane refused the session; reconnecting cannot help. */
    SESSION_REJECTED,
    /** The stream broke or was closed; reconnect. */
    BROKEN
  }

  static StreamEnd fromStatus(Status status, boolean heardFromServer) {
    String detail = Registrar.describe(status);
    return switch (status.getCode()) {
      case UNAUTHENTICATED, PERMISSION_DENIED ->
          new StreamEnd(Kind.SESSION_REJECTED, detail, heardFromServer);
      default -> new StreamEnd(Kind.BROKEN, detail, heardFromServer);
    };
  }
}
