package io.hodei.plugins.docker;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** When the provider pulls a worker's image before creating its container. */
enum PullPolicy {
  /** Pull before every container, so a moved tag is always followed. */
  ALWAYS("always"),
  /** Pull only when the engine does not have the image; the default. */
  IF_NOT_PRESENT("if-not-present"),
  /** Never pull: the image must already be on the engine (air-gapped engines). */
  NEVER("never");

  private final String configValue;

  PullPolicy(String configValue) {
    this.configValue = configValue;
  }

  String configValue() {
    return configValue;
  }

  static Optional<PullPolicy> parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(p -> p.configValue.equals(wanted)).findFirst();
  }
}
