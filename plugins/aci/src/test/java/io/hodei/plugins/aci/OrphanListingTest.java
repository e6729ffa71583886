package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.ProviderContext;
import io.hodei.plugin.api.TerminationReason;
import io.hodei.plugin.api.WorkerHandle;
import io.hodei.plugin.tck.RecordingEventSink;
import io.hodei.plugin.tck.TestingClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the host's orphan sweep relies on: {@code list()} returns every container group tagged for
 * this installation and instance, across pages, after a restart, and nothing else in the resource
 * group; terminating a listed handle deletes the group.
 */
class OrphanListingTest {

  private final FakeArm arm = TestSettings.startFake().pageSize(2).retryAfterSeconds(0);

  @AfterEach
  void stop() {
    arm.close();
  }

  @Test
  void aNewInstanceListsTheGroupsOfACrashedOneAcrossPagesAndCanDeleteThem() {
    AciProvider crashed = startAs(Providers.INSTALLATION, Providers.INSTANCE);
    for (int i = 0; i < 5; i++) {
      crashed.provision(Providers.spec("w-orphan-" + i));
    }
    crashed.close();
    // Another instance of this installation, and another installation, share the resource group.
    AciProvider otherInstance = startAs(Providers.INSTALLATION, "aci-other");
    otherInstance.provision(Providers.spec("w-other-instance"));
    AciProvider otherInstallation = startAs("install-2", Providers.INSTANCE);
    otherInstallation.provision(Providers.spec("w-other-installation"));

    AciProvider restarted = startAs(Providers.INSTALLATION, Providers.INSTANCE);
    List<WorkerHandle> listed = restarted.list();

    assertThat(listed)
        .extracting(WorkerHandle::workerId)
        .containsExactlyInAnyOrder(
            "w-orphan-0", "w-orphan-1", "w-orphan-2", "w-orphan-3", "w-orphan-4");
    assertThat(
            arm.requests("GET", "/containerGroups").stream()
                .filter(r -> r.query().containsKey("$skipToken")))
        .as("the listing followed nextLink")
        .isNotEmpty();

    for (WorkerHandle orphan : listed) {
      restarted.terminate(
          orphan,
          new TerminationReason(TerminationReason.Cause.ORPHANED, "not in the worker registry"));
    }
    assertThat(restarted.list()).isEmpty();
    assertThat(arm.groups())
        .extracting(FakeGroup::name)
        .containsExactlyInAnyOrder("hodei-w-other-instance", "hodei-w-other-installation");
    List.of(restarted, otherInstance, otherInstallation).forEach(AciProvider::close);
  }

  private AciProvider startAs(String installation, String instance) {
    AciProvider provider = new AciProvider();
    provider.initialize(
        new ProviderContext(
            instance,
            installation,
            new ProviderConfig(instance, TestSettings.forFake(arm, Map.of("watchInterval", "0s"))),
            TestSettings.tokenCredentials(),
            new RecordingEventSink(),
            TestingClock.startingNow()));
    return provider;
  }
}
