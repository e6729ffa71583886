package io.hodei.agent;

/** One-line log records on stderr, through java.util.logging (which grpc-java uses as well). */
final class AgentLogging {

  private static final String FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

  private AgentLogging() {}

  /** Must run before the first logger is created: SimpleFormatter reads the format once. */
  static void configure() {
    if (System.getProperty(FORMAT_PROPERTY) == null) {
      System.setProperty(FORMAT_PROPERTY, "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s: %5$s%6$s%n");
    }
  }
}
