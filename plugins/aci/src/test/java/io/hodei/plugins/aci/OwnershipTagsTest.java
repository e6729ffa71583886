package io.hodei.plugins.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.PluginApi;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ownership labels become Azure tags, and worker ids container group names. */
class OwnershipTagsTest {

  @Test
  void ownershipLabelsBecomeDashedTagsAndReadBack() {
    Map<String, String> labels =
        Map.of(
            PluginApi.LABEL_MANAGED,
            "true",
            PluginApi.LABEL_INSTALLATION,
            "inst-1",
            PluginApi.LABEL_WORKER,
            "w-1",
            PluginApi.LABEL_PROVIDER_INSTANCE,
            "aci-eu",
            "team",
            "build");

    Map<String, String> tags = OwnershipTags.forWorker(labels, "inst-1", "aci-eu", "w-1");

    assertThat(tags)
        .containsEntry("hodei-managed", "true")
        .containsEntry("hodei-installation", "inst-1")
        .containsEntry("hodei-worker", "w-1")
        .containsEntry("hodei-provider-instance", "aci-eu")
        .containsEntry("team", "build")
        .doesNotContainKey(PluginApi.LABEL_WORKER);
    assertThat(OwnershipTags.asSpecLabels(tags)).containsAllEntriesOf(labels);
  }

  @Test
  void labelsAzureRefusesAreLeftOutAndTheTagLimitHolds() {
    Map<String, String> labels = new HashMap<>();
    labels.put("a/b", "slash");
    labels.put("microsoft.thing", "reserved");
    labels.put("long", "x".repeat(300));
    for (int i = 0; i < 60; i++) {
      labels.put("extra-" + i, "v");
    }

    Map<String, String> tags = OwnershipTags.forWorker(labels, "i", "n", "w");

    assertThat(tags).doesNotContainKeys("a/b", "microsoft.thing", "long");
    assertThat(tags).hasSize(OwnershipTags.MAX_TAGS).containsKey(OwnershipTags.WORKER);
  }

  @Test
  void ownershipIsComparedWithoutRegardToTagNameCase() {
    Map<String, String> owner = OwnershipTags.owner("inst-1", "aci-eu");
    Map<String, String> asAzureReturnsThem =
        Map.of(
            "Hodei-Managed", "true",
            "HODEI-INSTALLATION", "inst-1",
            "hodei-provider-instance", "aci-eu");

    assertThat(OwnershipTags.ownedBy(asAzureReturnsThem, owner)).isTrue();
    assertThat(OwnershipTags.ownedBy(Map.of("hodei-managed", "true"), owner)).isFalse();
    assertThat(OwnershipTags.ownedBy(null, owner)).isFalse();
  }

  @Test
  void workerIdsBecomeValidGroupNames() {
    assertThat(OwnershipTags.groupName("hodei-", "3f2a-77")).isEqualTo("hodei-3f2a-77");
    String uuid = "8a6c1b9e-0d4f-4c4e-9a61-2f5b8e0c7d13";
    assertThat(OwnershipTags.groupName("hodei-", uuid)).isEqualTo("hodei-" + uuid);

    String odd = OwnershipTags.groupName("hodei-", "Build_Worker--7." + "x".repeat(80));
    assertThat(odd).matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?").doesNotContain("--");
    assertThat(odd)
        .isNotEqualTo(OwnershipTags.groupName("hodei-", "Build_Worker--7." + "x".repeat(81)));
  }
}
