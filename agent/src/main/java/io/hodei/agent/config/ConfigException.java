package io.hodei.agent.config;

/** The agent's environment is incomplete or malformed; the message says which variable to fix. */
public final class ConfigException extends Exception {

  public ConfigException(String message) {
    super(message);
  }
}
