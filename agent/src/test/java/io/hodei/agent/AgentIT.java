package io.hodei.agent;

import static io.hodei.agent.FakeControlPlane.await;
import static io.hodei.agent.FakeControlPlane.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.hodei.agent.config.AgentConfig;
import io.hodei.protocol.v1.CancelJob;
import io.hodei.protocol.v1.JobOutcome;
import io.hodei.protocol.v1.JobResult;
import io.hodei.protocol.v1.LogLine;
import io.hodei.protocol.v1.LogStream;
import io.hodei.protocol.v1.RunJob;
import io.hodei.protocol.v1.ServerMessage;
import io.hodei.protocol.v1.Shutdown;
import io.hodei.protocol.v1.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real agent, in this JVM, against a fake control plane over real gRPC. */
class AgentIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path workDir;
  private FakeControlPlane server;
  private Agent agent;
  private CompletableFuture<AgentExit> exit;

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeControlPlane();
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (agent != null) {
      agent.stop();
      exit.get(10, TimeUnit.SECONDS);
    }
    server.close();
  }

  @Test
  void registersWithItsTokenAndWorkerIdThenAttachesAndHeartbeats() throws Exception {
    startAgent(Map.of());

    awaitTrue(() -> server.heartbeats.get() >= 2, WAIT, "two heartbeats");
    assertThat(server.registrations).hasSize(1);
    var registration = server.registrations.get(0);
    assertThat(registration.getBootstrapToken()).isEqualTo("bootstrap-secret");
    assertThat(registration.getWorkerId()).isEqualTo("worker-1");
    assertThat(registration.getInfo().getCpus()).isPositive();
    assertThat(registration.getInfo().getArch()).isNotEmpty();
    assertThat(server.attaches).hasSize(1);
    assertThat(server.attaches.get(0).getSessionToken()).isEqualTo(FakeControlPlane.SESSION_TOKEN);
    assertThat(server.attaches.get(0).getRunningJobId()).isEmpty();
  }

  @Test
  void runsStepsInOrderAndStreamsGaplessLogs() throws Exception {
    startAgent(Map.of());
    awaitAttached();

    server.send(
        run(
            RunJob.newBuilder()
                .setJobId("job-ok")
                .setAttempt(1)
                .putEnv("GREETING", "hello")
                .addSteps(step("first", "echo \"$GREETING one\"; echo warn >&2"))
                .addSteps(step("second", "for i in 1 2 3; do echo line $i; done; pwd"))));

    JobResult result = server.awaitResult("job-ok", WAIT);
    assertThat(result.getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
    assertThat(result.getExitCode()).isZero();
    assertThat(server.acks).anyMatch(a -> a.getJobId().equals("job-ok") && a.getAttempt() == 1);

    List<LogLine> lines = server.lines("job-ok", 1);
    assertGapless(lines, result.getLastSequence());
    assertThat(texts(lines, LogStream.STDOUT))
        .containsSubsequence("hello one", "line 1", "line 2", "line 3");
    assertThat(texts(lines, LogStream.STDERR)).containsExactly("warn");
    assertThat(texts(lines, LogStream.SYSTEM))
        .anyMatch(t -> t.equals("step first started"))
        .anyMatch(t -> t.startsWith("step second finished (exit 0, took "));
    assertThat(lines)
        .filteredOn(l -> l.getText().equals("line 1"))
        .first()
        .satisfies(l -> assertThat(l.getStep()).isEqualTo("second"));
    assertThat(lines).allMatch(l -> l.getTimestampMillis() > 0);
    String pwd = texts(lines, LogStream.STDOUT).get(texts(lines, LogStream.STDOUT).size() - 1);
    assertThat(Path.of(pwd)).startsWith(workDir.resolve("jobs"));
  }

  @Test
  void stopsAtTheFirstFailingStepAndReportsItsExitCode() throws Exception {
    startAgent(Map.of());
    awaitAttached();

    server.send(
        run(
            RunJob.newBuilder()
                .setJobId("job-fail")
                .setAttempt(2)
                .addSteps(step("ok", "echo fine"))
                .addSteps(step("broken", "echo about to fail; exit 3"))
                .addSteps(step("never", "echo must not run"))));

    JobResult result = server.awaitResult("job-fail", WAIT);
    assertThat(result.getOutcome()).isEqualTo(JobOutcome.FAILED);
    assertThat(result.getExitCode()).isEqualTo(3);
    assertThat(result.getMessage()).contains("broken");
    List<LogLine> lines = server.lines("job-fail", 2);
    assertGapless(lines, result.getLastSequence());
    assertThat(lines).noneMatch(l -> l.getText().contains("must not run"));
    assertThat(lines).noneMatch(l -> l.getText().contains("step never"));
  }

  @Test
  void cancelEndsTheWholeProcessTree() throws Exception {
    startAgent(Map.of());
    awaitAttached();

    server.send(
        run(
            RunJob.newBuilder()
                .setJobId("job-cancel")
                .setAttempt(1)
                .addSteps(step("spawn", "sleep 300 & echo child=$!; echo shell=$$; wait"))));
    long child = pid("job-cancel", "child=");
    long shell = pid("job-cancel", "shell=");
    assertThat(ProcessHandle.of(child)).map(ProcessHandle::isAlive).contains(true);

    server.send(
        ServerMessage.newBuilder()
            .setCancelJob(
                CancelJob.newBuilder()
                    .setJobId("job-cancel")
                    .setAttempt(1)
                    .setReason("user asked")
                    .setGraceMillis(2000))
            .build());

    JobResult result = server.awaitResult("job-cancel", WAIT);
    assertThat(result.getOutcome()).isEqualTo(JobOutcome.CANCELLED);
    assertThat(result.getMessage()).contains("user asked");
    awaitTrue(() -> !alive(child) && !alive(shell), WAIT, "the shell and its sleep to be gone");
  }

  @Test
  void enforcesTheJobTimeout() throws Exception {
    startAgent(Map.of());
    awaitAttached();

    server.send(
        run(
            RunJob.newBuilder()
                .setJobId("job-slow")
                .setAttempt(1)
                .setTimeoutMillis(500)
                .addSteps(step("slow", "sleep 30"))
                .addSteps(step("after", "echo must not run"))));

    JobResult result = server.awaitResult("job-slow", WAIT);
    assertThat(result.getOutcome()).isEqualTo(JobOutcome.TIMED_OUT);
    assertThat(server.lines("job-slow", 1)).noneMatch(l -> l.getText().contains("must not run"));
  }

  @Test
  void masksSecretValuesInEveryLine() throws Exception {
    startAgent(Map.of());
    awaitAttached();

    String secret = "hunter2-s3cr3t";
    server.send(
        run(
            RunJob.newBuilder()
                .setJobId("job-mask")
                .setAttempt(1)
                .putEnv("PASSWORD", secret)
                .addMaskedValues(secret)
                .addSteps(step("leak", "echo \"password=$PASSWORD\"; echo \"$PASSWORD\" >&2"))
                .addSteps(step("fail", "echo \"exiting with $PASSWORD\"; exit 1"))));

    JobResult result = server.awaitResult("job-mask", WAIT);
    List<LogLine> lines = server.lines("job-mask", 1);
    assertThat(lines).isNotEmpty().noneMatch(l -> l.getText().contains(secret));
    assertThat(texts(lines, LogStream.STDOUT)).contains("password=***");
    assertThat(texts(lines, LogStream.STDERR)).contains("***");
    assertThat(result.getMessage()).doesNotContain(secret);
  }

  @Test
  void keepsTheJobRunningAcrossABrokenStreamAndResumesTheSession() throws Exception {
    startAgent(Map.of());
    awaitAttached();

    server.send(
        run(
            RunJob.newBuilder()
                .setJobId("job-resume")
                .setAttempt(1)
                .addSteps(
                    step("count", "for i in $(seq 1 30); do echo line $i; sleep 0.05; done"))));
    awaitTrue(
        () -> server.lines("job-resume", 1).stream().anyMatch(l -> l.getText().equals("line 3")),
        WAIT,
        "the first lines");

    server.breakStream();

    JobResult result = server.awaitResult("job-resume", WAIT);
    assertThat(result.getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
    assertThat(server.attaches).hasSizeGreaterThanOrEqualTo(2);
    assertThat(server.attaches)
        .allMatch(a -> a.getSessionToken().equals(FakeControlPlane.SESSION_TOKEN));
    assertThat(server.attaches.get(1).getRunningJobId()).isEqualTo("job-resume");
    assertThat(server.registrations).hasSize(1);
    List<LogLine> lines = server.lines("job-resume", 1);
    assertGapless(lines, result.getLastSequence());
    assertThat(server.resentLines).as("lines replayed after the re-attach").hasPositiveValue();
    assertThat(server.conflicts).isEmpty();
    assertThat(texts(lines, LogStream.STDOUT))
        .containsExactlyElementsOf(
            LongStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList());
  }

  @Test
  void refusesASecondJobWhileBusy() throws Exception {
    startAgent(Map.of());
    awaitAttached();

    server.send(
        run(
            RunJob.newBuilder()
                .setJobId("job-long")
                .setAttempt(1)
                .addSteps(step("wait", "echo started; sleep 2"))));
    awaitTrue(() -> !server.lines("job-long", 1).isEmpty(), WAIT, "the first job to start");
    server.send(
        run(RunJob.newBuilder().setJobId("job-extra").setAttempt(1).addSteps(step("x", "true"))));

    JobResult refused = server.awaitResult("job-extra", WAIT);
    assertThat(refused.getOutcome()).isEqualTo(JobOutcome.AGENT_ERROR);
    assertThat(refused.getMessage()).contains("agent busy");
    assertThat(server.awaitResult("job-long", WAIT).getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
  }

  @Test
  void exitsWithZeroOnShutdownAndCancelsTheRunningJob() throws Exception {
    startAgent(Map.of());
    awaitAttached();
    server.send(
        run(
            RunJob.newBuilder()
                .setJobId("job-interrupted")
                .setAttempt(1)
                .addSteps(step("wait", "echo started; sleep 300"))));
    awaitTrue(() -> !server.lines("job-interrupted", 1).isEmpty(), WAIT, "the job to start");

    server.send(
        ServerMessage.newBuilder()
            .setShutdown(Shutdown.newBuilder().setReason("worker no longer needed"))
            .build());

    assertThat(exit.get(15, TimeUnit.SECONDS)).isEqualTo(AgentExit.SHUTDOWN);
    assertThat(server.awaitResult("job-interrupted", WAIT).getOutcome())
        .isEqualTo(JobOutcome.CANCELLED);
    agent = null;
  }

  @Test
  void exitsWithoutRetryingWhenTheTokenIsRefused() throws Exception {
    server.refuseRegistration(Status.UNAUTHENTICATED.withDescription("token already used"));
    startAgent(Map.of());

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(AgentExit.REJECTED);
    assertThat(server.registrations).hasSize(1);
    agent = null;
  }

  @Test
  void exitsAsAnOrphanWhenTheControlPlaneStaysAway() throws Exception {
    int port = server.port();
    server.close();
    startAgent(Map.of("HODEI_SERVER_ADDRESS", "127.0.0.1:" + port, "HODEI_ORPHAN_TIMEOUT", "1s"));

    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(AgentExit.ORPHANED);
    agent = null;
  }

  private void startAgent(Map<String, String> overrides) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("HODEI_BOOTSTRAP_TOKEN", "bootstrap-secret");
    env.put("HODEI_WORKER_ID", "worker-1");
    env.put("HODEI_WORK_DIR", workDir.toString());
    env.put("PATH", System.getenv("PATH"));
    env.putAll(overrides);
    env.computeIfAbsent("HODEI_SERVER_ADDRESS", name -> server.address());
    AgentConfig config =
        AgentConfig.fromEnvironment(env, workDir)
            .withReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(400));
    agent = new Agent(config);
    exit = CompletableFuture.supplyAsync(agent::run);
  }

  private void awaitAttached() {
    awaitTrue(server::connected, WAIT, "the agent to attach");
  }

  private long pid(String jobId, String prefix) {
    return await(
        () ->
            server.lines(jobId, 1).stream()
                .map(LogLine::getText)
                .filter(t -> t.startsWith(prefix))
                .map(t -> Long.parseLong(t.substring(prefix.length())))
                .findFirst(),
        WAIT,
        "a line starting with " + prefix);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void assertGapless(List<LogLine> lines, long lastSequence) {
    assertThat(lastSequence).isPositive();
    assertThat(lines.stream().map(LogLine::getSequence).toList())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, lastSequence).boxed().toList());
  }

  private static List<String> texts(List<LogLine> lines, LogStream stream) {
    return lines.stream().filter(l -> l.getStream() == stream).map(LogLine::getText).toList();
  }

  private static ServerMessage run(RunJob.Builder job) {
    return ServerMessage.newBuilder().setRunJob(job).build();
  }

  private static Step step(String name, String command) {
    return Step.newBuilder().setName(name).setCommand(command).build();
  }
}
