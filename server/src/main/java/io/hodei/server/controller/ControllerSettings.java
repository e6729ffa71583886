package io.hodei.server.controller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Timings of the job controller and the worker lifecycle. */
@ConfigMapping(prefix = "hodei.controller")
public interface ControllerSettings {

  /** How often the controller looks at everything even without a wake-up signal. */
  @WithDefault("2s")
  Duration resyncInterval();

  /** Pending jobs placed per pass. */
  @WithDefault("100")
  int batchSize();

  /** How often agents heartbeat. */
  @WithDefault("5s")
  Duration heartbeatInterval();

  /** A worker silent for this long is LOST. */
  @WithDefault("30s")
  Duration heartbeatTimeout();

  /** How long a worker's bootstrap token stays valid. */
  @WithDefault("5m")
  Duration bootstrapTokenTtl();

  /** How long a broken agent stream can be resumed with the same session. */
  @WithDefault("2m")
  Duration resumeWindow();

  /** How long a cancelled job's processes get after SIGTERM, and the agent to confirm. */
  @WithDefault("10s")
  Duration cancelGrace();

  /** How often providers' own worker lists are compared with the registry to find orphans. */
  @WithDefault("60s")
  Duration orphanSweepInterval();

  /**
   * The address workers use to reach this server's gRPC service ({@code host:port}); by default
   * {@code localhost} and the HTTP port, which gRPC shares.
   */
  Optional<String> advertisedAddress();
}
