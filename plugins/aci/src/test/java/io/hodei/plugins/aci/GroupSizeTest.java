package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.ProviderConfig;
import io.hodei.plugin.api.Resources;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests are rounded up to ACI's tenths of cores and GB; zero takes the defaults. */
class GroupSizeTest {

  private final AciSettings settings =
      AciSettings.read(
          "sizes",
          new ProviderConfig(
              "sizes",
              Map.of(
                  "subscriptionId", "s",
                  "resourceGroup", "rg",
                  "location", "westeurope",
                  "managedIdentity", "true",
                  "defaultCpuCores", "1",
                  "defaultMemoryGb", "1.5")));

  @Test
  void roundsUpToTenths() {
    GroupSize size = GroupSize.of(Resources.of(250, 1000), settings);

    assertThat(size.cpuCores()).isEqualTo(0.3);
    assertThat(size.memoryGb()).isEqualTo(1.0);
    assertThat(size.describe()).isEqualTo("0.3 cores, 1.0 GB");
  }

  @Test
  void keepsExactTenthsAndGivesAtLeastOneTenth() {
    assertThat(GroupSize.of(Resources.of(2000, 3584), settings)).isEqualTo(new GroupSize(2.0, 3.5));
    assertThat(GroupSize.of(Resources.of(1, 1), settings)).isEqualTo(new GroupSize(0.1, 0.1));
  }

  @Test
  void aRequestOfNothingTakesTheDefaults() {
    assertThat(GroupSize.of(Resources.NONE, settings)).isEqualTo(new GroupSize(1.0, 1.5));
  }

  @Test
  void theRoundedSizeIsWhatIsComparedWithTheMaximum() {
    assertThat(GroupSize.of(Resources.of(3_950, 1024), settings).asResources())
        .isEqualTo(Resources.of(4_000, 1024));
  }
}
