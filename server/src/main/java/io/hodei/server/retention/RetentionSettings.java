package io.hodei.server.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long ended records are kept; {@code 0s} keeps them for ever. */
@ConfigMapping(prefix = "hodei.retention")
public interface RetentionSettings {

  /** How often old records are purged. */
  @WithDefault("1h")
  Duration interval();

  /** Ended jobs, with their events and logs, this long after they finished. */
  @WithDefault("30d")
  Duration jobs();

  /** Ended workers whose resources are confirmed gone, this long after that. */
  @WithDefault("7d")
  Duration workers();

  /**
   * Bootstrap token hashes this long after they expired. A spent token must outlive its expiry a
   * little: an agent whose registration answer was lost retries with it.
   */
  @WithDefault("1h")
  Duration bootstrapTokens();

  /** Credential audit entries. */
  @WithDefault("365d")
  Duration audit();
}
