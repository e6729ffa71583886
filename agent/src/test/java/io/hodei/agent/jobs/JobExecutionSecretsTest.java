package io.hodei.agent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hodei.agent.logs.LogBatcher;
import io.hodei.agent.logs.LogMasker;
import io.hodei.protocol.v1.JobOutcome;
import io.hodei.protocol.v1.JobResult;
import io.hodei.protocol.v1.LogBatch;
import io.hodei.protocol.v1.LogLine;
import io.hodei.protocol.v1.LogStream;
import io.hodei.protocol.v1.RunJob;
import io.hodei.protocol.v1.SecretFile;
import io.hodei.protocol.v1.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real shell steps with secrets, as the agent does, and reads the log lines it would send. */
class JobExecutionSecretsTest {

  private static final String ENV_VALUE = "env-secret-4242";
  private static final String FILE_VALUE = "file-secret-9898";

  @TempDir Path workDir;
  private final List<LogBatch> sent = new CopyOnWriteArrayList<>();

  private RunJob job(String command, long timeoutMillis) {
    return RunJob.newBuilder()
        .setJobId("job-1")
        .setAttempt(1)
        .addSteps(Step.newBuilder().setName("main").setCommand(command))
        .putEnv("DB_PASSWORD", ENV_VALUE)
        .addMaskedValues(ENV_VALUE)
        .addSecretFiles(
            SecretFile.newBuilder()
                .setPath("creds/db.pass")
                .setContent(ByteString.copyFromUtf8(FILE_VALUE)))
        .setTimeoutMillis(timeoutMillis)
        .build();
  }

  private JobExecution execution(RunJob job) {
    LogMasker masker = LogMasker.of(JobRunner.maskedValues(job));
    LogBatcher logs = new LogBatcher("job-1", 1, masker, sent::add, 100, System::currentTimeMillis);
    return new JobExecution(
        job, new JobWorkspace(workDir), Map.of("PATH", "/usr/bin:/bin"), logs, masker);
  }

  private List<String> output() {
    return sent.stream()
        .flatMap(batch -> batch.getLinesList().stream())
        .filter(line -> line.getStream() == LogStream.STDOUT)
        .map(LogLine::getText)
        .toList();
  }

  private String allLogText() {
    return String.join(
        "\n", sent.stream().flatMap(b -> b.getLinesList().stream()).map(LogLine::getText).toList());
  }

  @Test
  void exposesSecretsAsEnvAndOwnerOnlyFilesAndMasksTheirValues() {
    JobResult result =
        execution(
                job(
                    "echo \"env=$DB_PASSWORD\"; echo \"file=$(cat \"$HODEI_SECRETS_DIR/creds/db.pass\")\";"
                        + " stat -c '%a' \"$HODEI_SECRETS_DIR/creds/db.pass\" \"$HODEI_SECRETS_DIR\";"
                        + " echo \"dir=$HODEI_SECRETS_DIR\"",
                    0))
            .run();

    assertThat(result.getOutcome()).isEqualTo(JobOutcome.SUCCEEDED);
    Path dir = workDir.resolve(".secrets/job-1-1");
    assertThat(output()).containsExactly("env=***", "file=***", "600", "700", "dir=" + dir);
    assertThat(allLogText()).doesNotContain(ENV_VALUE, FILE_VALUE);
    assertThat(dir).doesNotExist();
  }

  @Test
  void aValueWrittenInPiecesWithoutNewlinesIsStillMaskedOnceTheLineIsAssembled() {
    execution(job("printf 'a=env-sec'; sleep 0.2; printf 'ret-4242 done\\n'", 0)).run();

    assertThat(output()).containsExactly("a=*** done");
  }

  @Test
  void deletesTheFilesWhenTheJobFails() {
    JobResult result =
        execution(job("test -f \"$HODEI_SECRETS_DIR/creds/db.pass\" && exit 3", 0)).run();

    assertThat(result.getOutcome()).isEqualTo(JobOutcome.FAILED);
    assertThat(result.getExitCode()).isEqualTo(3);
    assertThat(workDir.resolve(".secrets/job-1-1")).doesNotExist();
  }

  @Test
  void deletesTheFilesWhenTheJobTimesOut() {
    JobResult result = execution(job("sleep 30", 300)).run();

    assertThat(result.getOutcome()).isEqualTo(JobOutcome.TIMED_OUT);
    assertThat(workDir.resolve(".secrets/job-1-1")).doesNotExist();
  }

  @Test
  void deletesTheFilesWhenTheJobIsCancelled() throws Exception {
    JobExecution execution = execution(job("touch started; sleep 30", 0));
    CompletableFuture<JobResult> result = CompletableFuture.supplyAsync(execution::run);
    Path started = workDir.resolve("jobs/job-1-1/started");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(started) && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(started).exists();
    assertThat(workDir.resolve(".secrets/job-1-1/creds/db.pass")).exists();

    execution.stop(new StopRequest(JobOutcome.CANCELLED, "cancelled: test", Duration.ofSeconds(2)));

    assertThat(result.get(10, TimeUnit.SECONDS).getOutcome()).isEqualTo(JobOutcome.CANCELLED);
    assertThat(workDir.resolve(".secrets/job-1-1")).doesNotExist();
  }

  @Test
  void aJobWithoutSecretFilesGetsNoSecretsDirectory() {
    RunJob plain =
        RunJob.newBuilder()
            .setJobId("job-1")
            .setAttempt(1)
            .addSteps(Step.newBuilder().setName("main").setCommand("echo \"[$HODEI_SECRETS_DIR]\""))
            .build();

    execution(plain).run();

    assertThat(output()).containsExactly("[]");
    assertThat(workDir.resolve(".secrets")).doesNotExist();
  }
}
