package io.hodei.agent.session;

import io.hodei.protocol.v1.CancelJob;
import io.hodei.protocol.v1.RunJob;

/** What the control plane can ask of the agent over the stream, besides stopping it. */
public interface ServerCommands {

  /** Must return quickly: it is called on the gRPC callback thread. */
  void runJob(RunJob job);

  /** Must return quickly: it is called on the gRPC callback thread. */
  void cancelJob(CancelJob cancel);
}
