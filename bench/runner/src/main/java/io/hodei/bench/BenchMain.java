package io.hodei.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The benchmark: starts a PostgreSQL and the packaged server on it, plays the workers the server
 * provisions through the handoff plugin, runs the scenarios and prints what it measured.
 */
public final class BenchMain {

  static final String EPHEMERAL_POOL = "bench";
  static final String REUSE_POOL = "reuse";
  private static final int EPHEMERAL_MAX_WORKERS = 500;

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args, defaultPluginJar());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Path workDir = Files.createTempDirectory("hodei-bench-");
    boolean ok = false;
    try {
      run(options, workDir);
      ok = true;
    } finally {
      if (ok) {
        deleteTree(workDir);
      } else {
        System.err.println("kept " + workDir + " (server.log there) for a look");
      }
    }
  }

  private static void run(Options options, Path workDir) throws Exception {
    progress("load average before: " + loadAverage());
    Timeline timeline = new Timeline();
    int port = freePort();
    try (BenchDatabase db = BenchDatabase.start(workDir.resolve("postgres"), options.dbSettings());
        AgentFleet fleet = new AgentFleet(port, timeline);
        HandoffEndpoint handoff = new HandoffEndpoint(timeline, fleet)) {
      List<String> settings = serverSettings(options, db, handoff);
      Percentiles roundTrip = db.roundTrips(1000);
      progress("starting the server on port " + port + " with database port " + db.port());
      List<ScenarioResult> results = new ArrayList<>();
      List<String> profiles = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      try (ServerProcess server =
          ServerProcess.start(options.serverDir(), options.pluginJar(), workDir, port, settings)) {
        Submitter submitter =
            new Submitter(new ApiClient(server.uri("/"), server.adminToken()), timeline);
        Scenario scenario = new Scenario(db, server, timeline, fleet);
        Profiler profiler = options.jfr() ? new Profiler(server.pid()) : null;
        Duration timeout = Duration.ofSeconds(Math.max(120, options.jobs() / 20));

        List<Step> steps =
            List.of(
                new Step(
                    "ephemeral",
                    EPHEMERAL_POOL,
                    () ->
                        submitter.closedLoop(
                            EPHEMERAL_POOL, options.jobs(), options.concurrency())),
                new Step(
                    "paced-" + options.rate() + "/s",
                    EPHEMERAL_POOL,
                    () ->
                        submitter.paced(
                            EPHEMERAL_POOL,
                            options.rate(),
                            Duration.ofSeconds(options.pacedSeconds()))),
                // Last: should the server fail to place jobs on reused workers, their pending
                // jobs cannot hold up the other scenarios.
                new Step(
                    "reused",
                    REUSE_POOL,
                    () -> submitter.closedLoop(REUSE_POOL, options.jobs(), options.concurrency())));
        Set<String> warm = new HashSet<>();
        for (Step step : steps) {
          if (options.warmup() > 0 && warm.add(step.pool())) {
            progress("warming up pool " + step.pool() + " with " + options.warmup() + " jobs");
            ScenarioResult warmup =
                scenario.run(
                    "warmup-" + step.pool(),
                    () ->
                        submitter.closedLoop(step.pool(), options.warmup(), options.concurrency()),
                    Duration.ofMinutes(3));
            progress("  " + warmup.succeeded() + "/" + warmup.submitted() + " ok");
            if (warmup.succeeded() < warmup.submitted()) {
              skipped.add(
                  "pool "
                      + step.pool()
                      + ": the warm-up did not complete ("
                      + warmup.problems()
                      + "); its scenarios were not run");
              continue;
            }
          }
          if (skipped.stream().anyMatch(s -> s.startsWith("pool " + step.pool() + ":"))) {
            continue;
          }
          progress("running " + step.name());
          if (profiler != null) {
            profiler.start();
          }
          ScenarioResult result = scenario.run(step.name(), step.submission(), timeout);
          results.add(result);
          if (profiler != null) {
            Path file = workDir.resolve(step.name().replace('/', '_') + ".jfr");
            profiler.stop(file);
            profiles.add(step.name() + ":\n" + Profiler.summary(file, 15));
          }
          progress(
              String.format(
                  java.util.Locale.ROOT,
                  "  %s: %d/%d ok, %.0f jobs/s",
                  result.name(),
                  result.succeeded(),
                  result.submitted(),
                  result.jobsPerSecond()));
        }
        progress("load average after: " + loadAverage());
        System.out.println();
        System.out.println(header(options));
        System.out.println(
            "database round trip from this host (select 1): p50 "
                + roundTrip.millis(50)
                + " ms, p99 "
                + roundTrip.millis(99)
                + " ms; extra server settings: "
                + String.join(" ", options.serverOptions())
                + "; extra database settings: "
                + String.join(" ", options.dbSettings()));
        System.out.println(Report.table(results));
        System.out.println("Where the time goes:");
        System.out.println(Report.stages(results));
        results.forEach(r -> System.out.println(r.name() + " placement: " + r.passes().describe()));
        System.out.println();
        for (ScenarioResult r : results) {
          System.out.println(r.name() + ": database statements by execution time");
          r.statements().forEach(line -> System.out.println("  " + line));
        }
        skipped.forEach(reason -> System.out.println("! " + reason));
        System.out.println(legend());
        profiles.forEach(System.out::println);
      }
    }
  }

  /** A measured scenario. */
  private record Step(String name, String pool, Scenario.Submission submission) {}

  private static List<String> serverSettings(
      Options options, BenchDatabase db, HandoffEndpoint handoff) {
    List<String> settings = new ArrayList<>();
    settings.add("quarkus.datasource.jdbc.url=" + db.jdbcUrl());
    settings.add("quarkus.datasource.username=postgres");
    settings.add("quarkus.datasource.password=postgres");
    settings.add("hodei.bundled.install-plugins=false");
    settings.add("hodei.provider-instances.bench.type=handoff");
    settings.add("hodei.provider-instances.bench.config.handoffUrl=" + handoff.url());
    pool(settings, EPHEMERAL_POOL, EPHEMERAL_MAX_WORKERS, 1);
    pool(settings, REUSE_POOL, options.reuseWorkers(), 100_000);
    // One placement pass provisions up to a batch (100) at once; the default 4 threads and 64
    // queued calls per provider instance would refuse part of it (see README).
    settings.add("hodei.plugins.call-threads=16");
    settings.add("hodei.plugins.call-queue=1000");
    // Every simulated agent shares one HTTP/2 connection; real agents each have their own, so
    // the per-connection stream limit (100 by default) must not cap the simulation.
    settings.add("quarkus.http.limits.max-concurrent-streams=100000");
    // The server completes an agent's stream right after sending Shutdown, so each ephemeral
    // worker costs one RST_STREAM from the client; on one shared connection that trips the
    // rapid-reset guard (200 per 30 s) that a real agent's own connection never reaches.
    settings.add("quarkus.http.limits.rst-flood-max-rst-frame-per-window=1000000000");
    settings.addAll(options.serverOptions());
    return settings;
  }

  private static void pool(List<String> settings, String name, int maxWorkers, int jobsPerWorker) {
    String prefix = "hodei.pools." + name + ".";
    settings.add(prefix + "provider-instance=bench");
    settings.add(prefix + "max-workers=" + maxWorkers);
    settings.add(prefix + "max-jobs-per-worker=" + jobsPerWorker);
  }

  private static String header(Options options) throws IOException {
    return String.format(
        java.util.Locale.ROOT,
        "Hodei benchmark: %d jobs per throughput scenario, %d submissions in flight, paced %d/s"
            + " for %d s; reused pool of %d workers; %d cores, load average %s",
        options.jobs(),
        options.concurrency(),
        options.rate(),
        options.pacedSeconds(),
        options.reuseWorkers(),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
  }

  private static String legend() {
    return """
        decide = submit -> provision call received by the handoff endpoint (ephemeral workers only)
        runjob = submit -> RunJob received by the simulated agent
        final  = submit -> the final state's time as the server recorded it in job_events
        times in ms; jobs/s = jobs that succeeded / (last final state - first submit)
        heap/RSS = server right after the scenario's last job ended; tx/job = committed
        transactions (pg_stat_database.xact_commit) per job, the benchmark's own excluded;
        writes/job = transactions that wrote (transaction ids consumed) per job
        stages: placed = start of the controller pass that gave the job a worker (job_events);
        provision = the handoff endpoint received the provision call (ephemeral only);
        runjob = the agent received RunJob (after register, attach and a dispatch pass);
        final = the final state in job_events (after ack, log batch and result)
        """;
  }

  private static Path defaultPluginJar() {
    try {
      Path jar =
          Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return jar.resolveSibling("plugins").resolve("hodei-bench-handoff-plugin.jar");
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the benchmark's own jar", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }

  private static void progress(String message) {
    System.err.println("[bench] " + message);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }
}
