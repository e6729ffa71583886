package io.hodei.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many quick jobs choose among three pools on two {@code local} provider instances by labels, under
 * pool capacities, a provider limit shared by two pools, and a tenant quota, while the capacity
 * ledger is sampled every 100 ms: no limit is ever exceeded, every job ends once, and no
 * reservation is left. The same with the server SIGKILLed mid-run and started again.
 */
class GovernanceLimitsIT {

  private static final int JOBS = 150;
  private static final Duration RUN = Duration.ofSeconds(90);

  private HodeiServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void noPoolProviderOrTenantLimitIsEverExceeded() {
    server = HodeiServer.start(TestHomes.create("governance"), settings());
    run(false);
  }

  @Test
  void aServerKilledMidRunLeavesNoReservationAndEveryJobEndsOnce() {
    server = HodeiServer.start(TestHomes.create("governance-crash"), settings());
    run(true);
  }

  private void run(boolean crash) {
    Api api = new Api(server);
    JobsClient jobs = api.jobs();
    Sampler sampler = new Sampler(api);
    Thread sampling = new Thread(sampler, "capacity-sampler");
    sampling.setDaemon(true);
    sampling.start();
    List<String> ids = new ArrayList<>();
    try {
      for (int k = 0; k < JOBS; k++) {
        ids.add(
            jobs.submit(
                Map.of(
                    "name",
                    "quick-" + k,
                    "command",
                    "true",
                    "resources",
                    Map.of("cpuMillis", 500, "memoryMib", 64),
                    "poolSelector",
                    Map.of("kind", "quick"))));
      }
      if (crash) {
        await("a third of the jobs ended")
            .atMost(RUN)
            .pollInterval(Duration.ofMillis(250))
            .until(() -> ended(api) >= JOBS / 3);
        server.kill();
        server.restart();
      }
      await("every job ended")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> ended(api) == JOBS);
    } finally {
      sampler.stop.set(true);
    }

    for (String id : ids) {
      Job job = jobs.get(id);
      assertThat(job.state()).as("state of %s", job.json()).isEqualTo("SUCCEEDED");
      assertThat(job.finalEvents()).as("final events of %s", job.json()).hasSize(1);
    }
    assertThat(sampler.samples.get()).as("capacity samples taken").isGreaterThan(10);
    assertThat(sampler.violations).as("limits exceeded in a sample").isEmpty();
    assertThat(sampler.poolsUsed.keySet())
        .as("pools that ran jobs")
        .containsAnyOf("quick-a1", "quick-a2", "quick-b");
    await("no reservation left")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonPath capacity = capacity(api);
              assertThat(capacity.getList("pools.reserved.workers", Integer.class))
                  .allSatisfy(n -> assertThat(n).isZero());
              assertThat(capacity.getList("tenants.reserved.jobs", Integer.class))
                  .allSatisfy(n -> assertThat(n).isZero());
            });
  }

  // The home is this test's own: every job listed is one of ours.
  private static long ended(Api api) {
    return api
        .request()
        .queryParam("limit", 500)
        .get("/api/v1/jobs")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items.state", String.class)
        .stream()
        .filter(Job.FINAL_STATES::contains)
        .count();
  }

  private static JsonPath capacity(Api api) {
    return api.request().get("/api/v1/capacity").then().statusCode(200).extract().jsonPath();
  }

  /**
   * Two local instances: {@code local-a} (at most 3 workers) under two pools, {@code local-b} under
   * one cheaper pool; all three labelled {@code kind=quick}; the default tenant may run 4 jobs at
   * once. Workers take up to 20 jobs, so that most jobs reuse one.
   */
  private static Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>(Timings.fast());
    settings.put("hodei.provider-instances.local-a.type", "local");
    settings.put("hodei.provider-instances.local-a.max-workers", "3");
    settings.put("hodei.provider-instances.local-b.type", "local");
    settings.put("hodei.provider-instances.local-b.max-cpu-millis", "1000");
    pool(settings, "quick-a1", "local-a", "2", "0.20");
    pool(settings, "quick-a2", "local-a", "2", "0.30");
    pool(settings, "quick-b", "local-b", "3", "0.05");
    settings.put("hodei.pools.quick-a1.cpu-millis", "1000");
    settings.put("hodei.governance.quotas.default.jobs", "4");
    return settings;
  }

  private static void pool(
      Map<String, String> settings, String name, String instance, String workers, String rate) {
    String prefix = "hodei.pools." + name + ".";
    settings.put(prefix + "provider-instance", instance);
    settings.put(prefix + "max-workers", workers);
    settings.put(prefix + "max-jobs-per-worker", "20");
    settings.put(prefix + "idle-timeout", "20s");
    settings.put(prefix + "labels.kind", "quick");
    settings.put(prefix + "rate-per-worker-hour", rate);
  }

  /** Reads the ledger every 100 ms and records every entry found over one of its limits. */
  private static final class Sampler implements Runnable {

    private static final List<String> DIMENSIONS =
        List.of("cpuMillis", "memoryMib", "gpus", "workers", "jobs");

    final Api api;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger samples = new AtomicInteger();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final Map<String, Boolean> poolsUsed = new ConcurrentHashMap<>();

    Sampler(Api api) {
      this.api = api;
    }

    @Override
    public void run() {
      while (!stop.get()) {
        try {
          check(capacity(api));
          samples.incrementAndGet();
        } catch (RuntimeException | AssertionError unreachable) {
          // The server is down while it restarts; the next sample tries again.
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void check(JsonPath capacity) {
      for (String kind : List.of("pools", "providers", "tenants")) {
        List<Map<String, Object>> entries = capacity.getList(kind);
        for (Map<String, Object> entry : entries) {
          @SuppressWarnings("unchecked")
          Map<String, Object> limit = (Map<String, Object>) entry.get("limit");
          @SuppressWarnings("unchecked")
          Map<String, Object> used = (Map<String, Object>) entry.get("used");
          @SuppressWarnings("unchecked")
          Map<String, Object> reserved = (Map<String, Object>) entry.get("reserved");
          if (kind.equals("pools") && ((Number) reserved.get("jobs")).longValue() > 0) {
            poolsUsed.put((String) entry.get("name"), true);
          }
          for (String dimension : DIMENSIONS) {
            Object cap = limit.get(dimension);
            long held = ((Number) used.get(dimension)).longValue();
            if (cap != null && held > ((Number) cap).longValue()) {
              violations.add(
                  kind + " " + entry.get("name") + ": " + dimension + " " + held + " > " + cap);
            }
          }
        }
      }
    }
  }
}
