package io.hodei.plugins.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.plugin.api.ProviderException;
import io.hodei.plugin.api.ProviderException.ErrorCode;
import io.hodei.plugin.api.ProviderHealth;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SupportTest {

  @Test
  void anInstanceRefusesCallsBeforeInitializeAndAfterCloseAndClosesOnce() {
    InstanceState<String> state = new InstanceState<>();
    assertThat(state.settingsOrNull()).isNull();
    assertThatThrownBy(state::require)
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
        .hasMessageContaining("initialize");

    state.opened("eu-1", "settings");
    assertThat(state.require()).isEqualTo("settings");

    assertThat(state.close()).as("the first close").isTrue();
    assertThat(state.close()).as("a second close").isFalse();
    assertThatThrownBy(state::require)
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
        .hasMessage("provider instance 'eu-1' is closed");
  }

  @Test
  void aSchedulerRunsOnANamedDaemonThreadThatStopEnds() throws Exception {
    ScheduledExecutorService scheduler = Daemons.scheduler("hodei-test-eu-1");
    AtomicReference<Thread> ran = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    scheduler.execute(
        () -> {
          ran.set(Thread.currentThread());
          started.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran.get().getName()).isEqualTo("hodei-test-eu-1");
    assertThat(ran.get().isDaemon()).isTrue();

    Daemons.stop(scheduler);

    assertThat(scheduler.isTerminated()).isTrue();
    ran.get().join(TimeUnit.SECONDS.toMillis(5));
    assertThat(ran.get().isAlive()).isFalse();
    Daemons.stop(null);
  }

  @Test
  void throttlingDegradesAndAnyOtherFailureMakesUnhealthy() {
    assertThat(Health.of(new ProviderException(ErrorCode.THROTTLED, "slow down")))
        .isEqualTo(new ProviderHealth(ProviderHealth.Status.DEGRADED, "slow down"));
    assertThat(Health.of(new ProviderException(ErrorCode.UNAVAILABLE, "503")))
        .isEqualTo(ProviderHealth.unhealthy("503"));
  }

  @Test
  void theVersionComesFromTheFilteredPropertiesAndItsAbsenceIsABuildFault() {
    assertThat(PluginVersion.of(SupportTest.class, "versioned.properties")).isEqualTo("1.2.3");
    assertThatThrownBy(() -> PluginVersion.of(SupportTest.class, "unversioned.properties"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no version");
    assertThatThrownBy(() -> PluginVersion.of(SupportTest.class, "absent.properties"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("absent.properties is missing");
  }
}
