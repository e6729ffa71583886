package io.hodei.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What to run, from the command line.
 *
 * @param jobs jobs per throughput scenario (ephemeral and reused)
 * @param concurrency submissions in flight at once in the throughput scenarios
 * @param rate submissions per second in the paced scenario
 * @param pacedSeconds how long the paced scenario submits
 * @param warmup jobs per pool run before measuring, to warm the server's JIT and pools
 * @param reuseWorkers the reused pool's worker limit
 * @param serverDir the packaged server ({@code server/target/quarkus-app})
 * @param pluginJar the handoff plugin jar
 * @param jfr whether to record a JFR profile of the server per scenario and print its hot methods
 * @param serverOptions extra {@code -Dkey=value} settings for the server
 * @param dbSettings extra PostgreSQL settings, {@code key=value}
 */
record Options(
    int jobs,
    int concurrency,
    int rate,
    int pacedSeconds,
    int warmup,
    int reuseWorkers,
    Path serverDir,
    Path pluginJar,
    boolean jfr,
    List<String> serverOptions,
    List<String> dbSettings) {

  static final String USAGE =
      """
      usage: java -jar hodei-bench.jar [options]
        --jobs N            jobs per throughput scenario (default 2000)
        --concurrency C     submissions in flight in the throughput scenarios (default 64)
        --rate R            submissions per second in the paced scenario (default 100)
        --paced-seconds S   length of the paced scenario (default 20)
        --warmup W          unmeasured jobs per pool before measuring (default 300)
        --reuse-workers K   workers of the reused pool (default 16)
        --server-dir DIR    the packaged server (default server/target/quarkus-app)
        --plugin-jar JAR    the handoff plugin (default: plugins/ beside this jar)
        --jfr               profile the server with JFR per scenario and print hot methods
        --server-opt K=V    an extra server setting, passed as -DK=V (repeatable)
        --db-setting K=V    an extra PostgreSQL setting, e.g. synchronous_commit=off (repeatable)
      """;

  static Options parse(String[] args, Path defaultPluginJar) {
    int jobs = 2000;
    int concurrency = 64;
    int rate = 100;
    int pacedSeconds = 20;
    int warmup = 300;
    int reuseWorkers = 16;
    Path serverDir = Path.of("server", "target", "quarkus-app");
    Path pluginJar = defaultPluginJar;
    boolean jfr = false;
    List<String> serverOptions = new ArrayList<>();
    List<String> dbSettings = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--jobs" -> jobs = positive(flag, value(args, ++i, flag));
        case "--concurrency" -> concurrency = positive(flag, value(args, ++i, flag));
        case "--rate" -> rate = positive(flag, value(args, ++i, flag));
        case "--paced-seconds" -> pacedSeconds = positive(flag, value(args, ++i, flag));
        case "--warmup" -> warmup = nonNegative(flag, value(args, ++i, flag));
        case "--reuse-workers" -> reuseWorkers = positive(flag, value(args, ++i, flag));
        case "--server-dir" -> serverDir = Path.of(value(args, ++i, flag));
        case "--plugin-jar" -> pluginJar = Path.of(value(args, ++i, flag));
        case "--jfr" -> jfr = true;
        case "--server-opt" -> serverOptions.add(keyValue(flag, value(args, ++i, flag)));
        case "--db-setting" -> dbSettings.add(keyValue(flag, value(args, ++i, flag)));
        default -> throw new IllegalArgumentException("unknown option '" + flag + "'\n" + USAGE);
      }
    }
    return new Options(
        jobs,
        concurrency,
        rate,
        pacedSeconds,
        warmup,
        reuseWorkers,
        serverDir,
        pluginJar,
        jfr,
        List.copyOf(serverOptions),
        List.copyOf(dbSettings));
  }

  private static String keyValue(String flag, String text) {
    if (text.indexOf('=') < 1) {
      throw new IllegalArgumentException(flag + " needs key=value, got '" + text + "'");
    }
    return text;
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
    }
    return args[index];
  }

  private static int positive(String flag, String text) {
    int value = nonNegative(flag, text);
    if (value == 0) {
      throw new IllegalArgumentException(flag + " must be at least 1");
    }
    return value;
  }

  private static int nonNegative(String flag, String text) {
    try {
      int value = Integer.parseInt(text.trim());
      if (value < 0) {
        throw new IllegalArgumentException(flag + " cannot be negative, got " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, got '" + text + "'");
    }
  }
}
