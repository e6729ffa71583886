package io.hodei.agent;

import static io.hodei.agent.FakeControlPlane.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.hodei.protocol.v1.JobOutcome;
import io.hodei.protocol.v1.LogLine;
import io.hodei.protocol.v1.RunJob;
import io.hodei.protocol.v1.ServerMessage;
import io.hodei.protocol.v1.Shutdown;
import io.hodei.protocol.v1.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the shaded jar the way the local provider does: {@code java -jar hodei-agent.jar}. */
class AgentJarIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path workDir;
  private FakeControlPlane server;
  private Process agent;

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeControlPlane();
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    server.close();
  }

  @Test
  void runsAJobWithoutTheBootstrapTokenAndExitsZeroOnShutdown() throws Exception {
    long startedAt = System.currentTimeMillis();
    agent = launch(env(server.address()));

    awaitTrue(server::connected, WAIT, "the agent process to attach");
    System.out.println(
        "agent jar: Register arrived "
            + (server.registeredAtMillis() - startedAt)
            + "ms after the process was started");
    server.send(
        ServerMessage.newBuilder()
            .setRunJob(
                RunJob.newBuilder()
                    .setJobId("jar-job")
                    .setAttempt(1)
                    .addSteps(
                        Step.newBuilder()
                            .setName("env")
                            .setCommand("echo token=${HODEI_BOOTSTRAP_TOKEN:-absent}")))
            .build());
    assertThat(server.awaitResult("jar-job", WAIT).getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
    assertThat(server.lines("jar-job", 1).stream().map(LogLine::getText)).contains("token=absent");

    server.send(
        ServerMessage.newBuilder().setShutdown(Shutdown.newBuilder().setReason("done")).build());

    assertThat(agent.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).isZero();
    assertThat(output()).doesNotContain("jar-bootstrap-secret");
  }

  @Test
  void exitsNonZeroWithoutRetryWhenRegisterIsRefused() throws Exception {
    server.refuseRegistration(Status.UNAUTHENTICATED.withDescription("token expired"));
    agent = launch(env(server.address()));

    assertThat(agent.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).isEqualTo(AgentExit.REJECTED.code());
    assertThat(server.registrations).hasSize(1);
    assertThat(output())
        .contains("refused the bootstrap token")
        .doesNotContain("jar-bootstrap-secret");
  }

  @Test
  void failsFastNamingAMissingVariable() throws Exception {
    Map<String, String> env = env(server.address());
    env.remove("HODEI_WORKER_ID");
    agent = launch(env);

    assertThat(agent.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).isEqualTo(AgentExit.CONFIG_INVALID.code());
    assertThat(output()).contains("HODEI_WORKER_ID").doesNotContain("jar-bootstrap-secret");
  }

  private Map<String, String> env(String address) {
    return new java.util.HashMap<>(
        Map.of(
            "HODEI_BOOTSTRAP_TOKEN",
            "jar-bootstrap-secret",
            "HODEI_WORKER_ID",
            "worker-jar",
            "HODEI_SERVER_ADDRESS",
            address,
            "HODEI_WORK_DIR",
            workDir.toString(),
            "PATH",
            System.getenv("PATH")));
  }

  private Process launch(Map<String, String> env) throws IOException {
    Path jar = Path.of(System.getProperty("hodei.agent.jar", "target/hodei-agent.jar"));
    assertThat(jar).as("the shaded agent jar; build it with mvn package").isRegularFile();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(List.of(java.toString(), "-jar", jar.toString()))
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("agent.log").toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder.start();
  }

  private String output() throws IOException {
    return Files.readString(workDir.resolve("agent.log"));
  }
}
