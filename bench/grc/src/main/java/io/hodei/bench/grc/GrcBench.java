package io.hodei.bench.grc;

import io.hodei.core.governance.GlobalResourceController;
import io.hodei.core.governance.decision.Decision;
import io.hodei.core.governance.selection.PlacementStrategy;
import io.hodei.core.governance.snapshot.GovernanceSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Times passes of the global resource controller over one synthetic snapshot: unmeasured passes
 * first (JIT), then measured ones; prints decisions per second and CPU microseconds per decision.
 */
public final class GrcBench {

  private GrcBench() {}

  public static void main(String[] args) {
    BenchOptions options = BenchOptions.parse(args);
    Scenario scenario =
        new Scenario(options.jobs(), options.pools(), options.tenants(), options.seed());
    GovernanceSnapshot snapshot = scenario.snapshot();
    GlobalResourceController controller = new GlobalResourceController(options.strategy());
    Clock clock = Clock.fixed(Scenario.NOW, ZoneOffset.UTC);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    System.out.printf(
        "GRC pass: %d pending jobs, %d pools, %d tenants, %s; %d warm-up and %d measured"
            + " passes%n",
        options.jobs(),
        options.pools(),
        options.tenants(),
        options.strategy(),
        options.warmup(),
        options.passes());
    List<Decision> decisions = null;
    for (int i = 0; i < options.warmup(); i++) {
      decisions = controller.decide(snapshot, clock);
    }
    long[] cpuNanos = new long[options.passes()];
    long[] wallNanos = new long[options.passes()];
    for (int i = 0; i < options.passes(); i++) {
      long cpu = threads.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      decisions = controller.decide(snapshot, clock);
      wallNanos[i] = System.nanoTime() - wall;
      cpuNanos[i] = threads.getCurrentThreadCpuTime() - cpu;
    }
    printOutcomes(decisions);
    Arrays.sort(cpuNanos);
    Arrays.sort(wallNanos);
    double perDecisionMedian = cpuNanos[cpuNanos.length / 2] / 1000.0 / options.jobs();
    double perDecisionBest = cpuNanos[0] / 1000.0 / options.jobs();
    double perSecond = options.jobs() / (wallNanos[wallNanos.length / 2] / 1e9);
    System.out.printf("| metric | median pass | best pass |%n|---|---|---|%n");
    System.out.printf(
        "| pass wall time | %.1f ms | %.1f ms |%n",
        wallNanos[wallNanos.length / 2] / 1e6, wallNanos[0] / 1e6);
    System.out.printf(
        "| decisions per second | %.0f | %.0f |%n",
        perSecond, options.jobs() / (wallNanos[0] / 1e9));
    System.out.printf(
        "| decisions per CPU second | %.0f | %.0f |%n",
        1e6 / perDecisionMedian, 1e6 / perDecisionBest);
    System.out.printf(
        "| CPU µs per decision | %.2f | %.2f |%n", perDecisionMedian, perDecisionBest);
    System.out.printf(
        "target: under 50 µs per decision: %s%n", perDecisionMedian < 50 ? "met" : "NOT met");
  }

  private static void printOutcomes(List<Decision> decisions) {
    Map<String, Integer> outcomes = new TreeMap<>();
    for (Decision decision : decisions) {
      String key =
          decision instanceof Decision.Wait wait
              ? "wait " + wait.code()
              : decision.getClass().getSimpleName().toLowerCase();
      outcomes.merge(key, 1, Integer::sum);
    }
    System.out.println("decisions: " + outcomes);
  }

  /** The command line; every option has a default. */
  record BenchOptions(
      int jobs,
      int pools,
      int tenants,
      int warmup,
      int passes,
      PlacementStrategy strategy,
      long seed) {

    static BenchOptions parse(String[] args) {
      BenchOptions options =
          new BenchOptions(10_000, 50, 20, 30, 30, PlacementStrategy.BIN_PACK, 1);
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : "";
        options =
            switch (args[i]) {
              case "--jobs" -> options.with(Integer.parseInt(value), -1, -1, -1, -1, null);
              case "--pools" -> options.with(-1, Integer.parseInt(value), -1, -1, -1, null);
              case "--tenants" -> options.with(-1, -1, Integer.parseInt(value), -1, -1, null);
              case "--warmup" -> options.with(-1, -1, -1, Integer.parseInt(value), -1, null);
              case "--passes" -> options.with(-1, -1, -1, -1, Integer.parseInt(value), null);
              case "--strategy" ->
                  options.with(-1, -1, -1, -1, -1, PlacementStrategy.valueOf(value));
              default ->
                  throw new IllegalArgumentException(
                      "unknown option "
                          + args[i]
                          + "; use --jobs, --pools, --tenants, --warmup, --passes, --strategy");
            };
        i++;
      }
      if (options.passes < 1) {
        throw new IllegalArgumentException("--passes must be at least 1");
      }
      return options;
    }

    private BenchOptions with(
        int jobs, int pools, int tenants, int warmup, int passes, PlacementStrategy strategy) {
      return new BenchOptions(
          jobs < 0 ? this.jobs : jobs,
          pools < 0 ? this.pools : pools,
          tenants < 0 ? this.tenants : tenants,
          warmup < 0 ? this.warmup : warmup,
          passes < 0 ? this.passes : passes,
          strategy == null ? this.strategy : strategy,
          seed);
    }
  }
}
