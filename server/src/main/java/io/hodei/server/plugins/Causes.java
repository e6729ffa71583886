package io.hodei.server.plugins;

/** Failure descriptions for people: the message chain, without stack traces. */
final class Causes {

  private Causes() {}

  static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder(message(failure));
    Throwable cause = failure.getCause();
    for (int depth = 0; cause != null && cause != failure && depth < 3; depth++) {
      String next = message(cause);
      if (!text.toString().contains(next)) {
        text.append(": ").append(next);
      }
      failure = cause;
      cause = cause.getCause();
    }
    return text.toString();
  }

  /** Our own and PF4J's messages read on their own; others need their type to make sense. */
  private static String message(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getSimpleName();
    }
    boolean selfExplaining =
        failure instanceof io.hodei.plugin.api.ProviderException
            || failure instanceof org.pf4j.PluginRuntimeException
            || failure instanceof IllegalStateException;
    return selfExplaining ? message : failure.getClass().getSimpleName() + ": " + message;
  }
}
