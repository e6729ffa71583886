package io.hodei.server.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderCallsTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<String> timeouts = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ProviderCalls calls =
      new ProviderCalls(
          "test-instance",
          new PluginHostSettings(
              Path.of("plugins"),
              Path.of("work"),
              ChecksumAllowList.NONE,
              Duration.ofMillis(300),
              1,
              1,
              Duration.ofSeconds(1),
              Duration.ofSeconds(1)),
          timer,
          (loadId, what) -> timeouts.add(loadId + ": " + what));
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    calls.close();
    timer.shutdownNow();
  }

  @Test
  void anOverrunTimesOutInterruptsTheCallAndIsReported() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);

    CompletableFuture<String> call =
        calls.submit(
            "provision",
            7,
            getClass().getClassLoader(),
            () -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                interrupted.countDown();
              }
              return "late";
            });

    assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT))
        .hasMessageContaining("test-instance: provision did not finish within 300 ms");
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(timeouts).singleElement().asString().startsWith("7: "));
  }

  @Test
  void aFullPoolAndQueueRefuseWithCapacityExhausted() {
    calls.submit("first", 1, null, () -> release.await(5, TimeUnit.SECONDS));
    calls.submit("second", 1, null, () -> release.await(5, TimeUnit.SECONDS));

    CompletableFuture<Boolean> third =
        calls.submit("third", 1, null, () -> release.await(5, TimeUnit.SECONDS));

    assertThat(third).isCompletedExceptionally();
    assertThatThrownBy(third::join)
        .cause()
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CAPACITY_EXHAUSTED));
  }

  @Test
  void anythingButAProviderExceptionBecomesInternalWithItsCause() {
    IllegalStateException bug = new IllegalStateException("bug in the provider");

    assertThatThrownBy(
            () ->
                calls.await(
                    "status",
                    1,
                    null,
                    () -> {
                      throw bug;
                    }))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
        .hasMessageContaining("bug in the provider")
        .hasCause(bug);
  }

  @Test
  void aProviderExceptionPassesThroughUnchanged() {
    ProviderException full = new ProviderException(ErrorCode.CAPACITY_EXHAUSTED, "full");

    assertThatThrownBy(
            () ->
                calls.await(
                    "provision",
                    1,
                    null,
                    () -> {
                      throw full;
                    }))
        .isSameAs(full);
  }
}
