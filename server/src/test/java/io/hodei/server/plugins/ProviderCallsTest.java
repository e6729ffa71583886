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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderCallsTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private static final Duration INTERRUPT_GRACE = Duration.ofMillis(200);
  private final List<String> hangs = new CopyOnWriteArrayList<>();
  private final ProviderCalls calls =
      new ProviderCalls(
          "test-instance",
          new PluginHostSettings(
              Path.of("plugins"),
              Path.of("work"),
              ChecksumAllowList.NONE,
              Duration.ofMillis(300),
              INTERRUPT_GRACE,
              1,
              1,
              Duration.ofSeconds(1),
              Duration.ofSeconds(1)),
          timer,
          (loadId, what) -> hangs.add(loadId + ": " + what));
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    calls.close();
    timer.shutdownNow();
  }

  @Test
  void anOverrunTimesOutAndInterruptsTheCallWhichIsNoHangIfItEnds() throws Exception {
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
        .during(INTERRUPT_GRACE.multipliedBy(3))
        .atMost(INTERRUPT_GRACE.multipliedBy(6))
        .until(hangs::isEmpty);
  }

  @Test
  void aCallThatIgnoresItsInterruptionIsReportedAsAHang() {
    AtomicInteger interruptions = new AtomicInteger();

    CompletableFuture<String> call =
        calls.submit(
            "provision",
            7,
            getClass().getClassLoader(),
            () -> {
              while (release.getCount() > 0) {
                try {
                  release.await();
                } catch (InterruptedException e) {
                  interruptions.incrementAndGet();
                }
              }
              return "late";
            });

    assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(hangs)
                    .singleElement()
                    .asString()
                    .startsWith("7: test-instance: provision overran 300 ms")
                    .contains("still running 200 ms after its thread was interrupted"));
    assertThat(interruptions).hasValue(1);
  }

  @Test
  void aCallCancelledWhileQueuedIsNoHang() {
    calls.submit("first", 1, null, () -> release.await(5, TimeUnit.SECONDS));
    CompletableFuture<Boolean> queued =
        calls.submit("queued", 2, null, () -> release.await(5, TimeUnit.SECONDS));

    assertThatThrownBy(queued::join)
        .cause()
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    release.countDown();
    await()
        .during(INTERRUPT_GRACE.multipliedBy(3))
        .atMost(INTERRUPT_GRACE.multipliedBy(6))
        .until(hangs::isEmpty);
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
