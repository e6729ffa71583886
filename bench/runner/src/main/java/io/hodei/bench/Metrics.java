package io.hodei.bench;

/** Reads values out of the Prometheus text format. */
final class Metrics {

  private Metrics() {}

  /** The sum of every sample of {@code name} whose labels contain {@code label}. */
  static long sum(String text, String name, String label) {
    double total = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        String value = line.substring(line.lastIndexOf(' ') + 1).trim();
        total += Double.parseDouble(value);
        found = true;
      }
    }
    if (!found) {
      throw new IllegalStateException("the server's metrics have no " + name + "{" + label + "}");
    }
    return (long) total;
  }
}
