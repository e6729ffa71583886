package io.hodei.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hodei.plugin.api.PluginApi;
import io.hodei.plugin.api.Resources;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.api.WorkerSpec;
import io.hodei.server.controller.ProvisioningRecovery;
import io.hodei.server.persistence.Db;
import io.hodei.server.providers.Installation;
import io.hodei.server.providers.ProviderInstances;
import io.hodei.server.testing.Api;
import io.hodei.server.testing.HodeiTestResource;
import io.hodei.server.testing.Jobs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Infrastructure failures are retried on a new worker; waiting jobs say why they wait. */
@QuarkusTest
@WithTestResource(HodeiTestResource.class)
class JobRecoveryTest {

  @Inject Db db;
  @Inject ProvisioningRecovery recovery;
  @Inject ProviderInstances providers;
  @Inject Installation installation;

  @Test
  void killingTheAgentMidJobLosesTheWorkerAndRetriesTheJobOnANewOne() {
    String id =
        Jobs.submit(
            Map.of(
                "name",
                "survivor",
                "command",
                "if [ \"$HODEI_JOB_ATTEMPT\" = 1 ]; then sleep 60; fi; echo attempt $HODEI_JOB_ATTEMPT done"));
    String firstWorker =
        Jobs.awaitState(id, "RUNNING", Duration.ofSeconds(60)).getString("workerId");

    List<ProcessHandle> agents = Jobs.agentProcesses(firstWorker);
    assertThat(agents).as("the agent of worker " + firstWorker).hasSize(1);
    agents.get(0).destroyForcibly();

    JsonPath job = Jobs.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
    assertThat(job.getInt("attempt")).isEqualTo(2);
    assertThat(job.getString("workerId")).isNotEqualTo(firstWorker);
    assertThat(job.getList("events.reason", String.class))
        .anySatisfy(
            reason -> assertThat(reason).contains("infrastructure failure").contains(firstWorker));
    assertThat(workerState(firstWorker)).isEqualTo("LOST");
    assertThat(Jobs.logs(id)).extracting(l -> l.get("text")).contains("attempt 2 done");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(Jobs.processesOf(id)).isEmpty());
  }

  @Test
  void aWorkerTheServerDiedBeforeConfirmingIsRetriedAtOnceWhenTheProviderLacksIt() {
    // The state a crash between committing the worker row and calling the provider leaves: the
    // job PROVISIONING on a worker without a resource id, whose deadline is an hour away.
    String id = Jobs.submit(Map.of("name", "crashed", "command", "true", "pool", "not-yet"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "pool 'not-yet': does not exist".equals(Jobs.get(id).getString("reason")));
    UUID worker = UUID.randomUUID();
    sql(
        "insert into workers (id, pool, provider_instance, state, job_id, provisioning_deadline,"
            + " created_at, updated_at) values ('"
            + worker
            + "', 'default', 'local', 'PROVISIONING', '"
            + id
            + "', now() + interval '1 hour', now() - interval '1 minute', now())");
    sql(
        "update jobs set state = 'PROVISIONING', pool = 'default',"
            + " spec = jsonb_set(spec::jsonb, '{pool}', '\"default\"')::text,"
            + " reason = null, worker_id = '"
            + worker
            + "' where id = '"
            + id
            + "'");

    recovery.startOver();

    JsonPath job = Jobs.awaitState(id, "SUCCEEDED", Duration.ofSeconds(60));
    assertThat(job.getInt("attempt")).isEqualTo(2);
    assertThat(job.getList("events.reason", String.class))
        .anySatisfy(
            reason ->
                assertThat(reason)
                    .contains("infrastructure failure")
                    .contains(
                        "the server stopped before provider local confirmed worker "
                            + worker
                            + ", and the provider does not have it"));
    assertThat(workerState(worker.toString())).isEqualTo("FAILED");
  }

  @Test
  void aWorkerTheServerDiedBeforeConfirmingIsAdoptedWhenTheProviderHasIt() throws Exception {
    UUID worker = UUID.randomUUID();
    // The provider started it, but the server died before it recorded the answer.
    WorkerHandle started =
        providers
            .get("local")
            .orElseThrow()
            .provision(
                new WorkerSpec(
                    worker.toString(),
                    Optional.empty(),
                    Resources.of(500, 256),
                    Map.of(
                        PluginApi.ENV_BOOTSTRAP_TOKEN, "hbt_not-valid",
                        PluginApi.ENV_SERVER_ADDRESS, "127.0.0.1:1",
                        PluginApi.ENV_WORKER_ID, worker.toString()),
                    Map.of(
                        PluginApi.LABEL_MANAGED,
                        "true",
                        PluginApi.LABEL_INSTALLATION,
                        installation.id(),
                        PluginApi.LABEL_WORKER,
                        worker.toString(),
                        PluginApi.LABEL_PROVIDER_INSTANCE,
                        "local"),
                    Duration.ofMinutes(5)))
            .toCompletableFuture()
            .get(30, java.util.concurrent.TimeUnit.SECONDS);
    sql(
        "insert into workers (id, pool, provider_instance, state, provisioning_deadline,"
            + " created_at, updated_at) values ('"
            + worker
            + "', 'default', 'local', 'PROVISIONING',"
            + " now() + interval '1 hour', now() - interval '1 minute', now())");

    recovery.startOver();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> started.resourceId().equals(workerColumn(worker, "resource_id")));
    assertThat(workerColumn(worker, "state")).isEqualTo("PROVISIONING");
    // Adopted, it is freed through its provider like any other once it fails its deadline.
    sql("update workers set provisioning_deadline = now() where id = '" + worker + "'");
    await().atMost(Duration.ofSeconds(30)).until(() -> workerColumn(worker, "released_at") != null);
    assertThat(workerColumn(worker, "state")).isEqualTo("FAILED");
    assertThat(providers.get("local").orElseThrow().list().toCompletableFuture().get())
        .extracting(WorkerHandle::workerId)
        .doesNotContain(worker.toString());
  }

  private void sql(String statement) {
    db.tx(session -> session.createNativeQuery(statement).executeUpdate())
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  private String workerColumn(UUID worker, String column) {
    Object value =
        db.tx(
                session ->
                    session
                        .createNativeQuery(
                            "select cast("
                                + column
                                + " as text) from workers where id = '"
                                + worker
                                + "'",
                            String.class)
                        .getSingleResult())
            .await()
            .atMost(Duration.ofSeconds(10));
    return (String) value;
  }

  @Test
  void aJobForAPoolThatDoesNotExistWaitsAndSaysSo() {
    String id = Jobs.submit(Map.of("name", "lost", "command", "true", "pool", "nowhere"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "pool 'nowhere': does not exist".equals(Jobs.get(id).getString("reason")));
    assertThat(Jobs.get(id).getString("waitReason.code")).isEqualTo("NO_MATCHING_POOL");
    assertThat(Jobs.state(id)).isEqualTo("PENDING");
    Api.asAdmin().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
    assertThat(Jobs.state(id)).isEqualTo("CANCELLED");
  }

  @Test
  void aJobAskingForMoreThanAnyWorkerCanHaveWaitsAndSaysWhichResource() {
    String id =
        Jobs.submit(
            Map.of(
                "name",
                "huge",
                "command",
                "true",
                "resources",
                Map.of("cpuMillis", 500, "memoryMib", 64 * 1024 * 1024)));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var job = Jobs.get(id);
              assertThat(job.getString("waitReason.code")).isEqualTo("TOO_LARGE_FOR_ANY_POOL");
              assertThat(job.getString("reason"))
                  .contains("can never hold this job: memory at most")
                  .endsWith("this job needs 67108864 MiB");
            });
    Api.asAdmin().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
  }

  private static String workerState(String workerId) {
    return Api.asAdmin()
        .queryParam("all", true)
        .get("/api/v1/workers")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getString("find { it.id == '" + workerId + "' }.state");
  }
}
