package io.hodei.plugins.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.plugin.api.Resources;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests are rounded up to the smallest CPU and memory combination Fargate accepts. */
class FargateSizesTest {

  @ParameterizedTest(name = "{0}m CPU, {1} MiB -> {2} units, {3} MiB")
  @CsvSource({
    // nothing asked: the smallest task
    "0, 0, 256, 512",
    "100, 64, 256, 512",
    // 250m is exactly 256 units
    "250, 512, 256, 512",
    "250, 2048, 256, 2048",
    // one millicore over a quarter vCPU needs the next CPU size and its smallest memory
    "251, 512, 512, 1024",
    // memory beyond what 256 units allow moves the CPU up
    "250, 3000, 512, 3072",
    "500, 4096, 512, 4096",
    "1000, 1024, 1024, 2048",
    "1000, 2048, 1024, 2048",
    "1000, 2049, 1024, 3072",
    "1000, 9000, 2048, 9216",
    "2000, 16385, 4096, 17408",
    "4000, 30721, 8192, 32768",
    // 8 vCPU steps by 4 GiB, 16 vCPU by 8 GiB
    "8000, 16385, 8192, 20480",
    "8000, 61441, 16384, 65536",
    "16000, 122880, 16384, 122880",
  })
  void roundsUpToTheSmallestValidSize(long cpuMillis, long memoryMib, int cpuUnits, int memory) {
    TaskSize size = FargateSizes.fit(Resources.of(cpuMillis, memoryMib)).orElseThrow();

    assertThat(size.cpuUnits()).as("CPU units").isEqualTo(cpuUnits);
    assertThat(size.memoryMib()).as("memory").isEqualTo(memory);
    assertThat(size.fargate()).isTrue();
  }

  @ParameterizedTest(name = "{0}m CPU, {1} MiB, {2} GPUs, {3} MiB disk fits no Fargate size")
  @CsvSource({
    "16001, 1024, 0, 0",
    "1000, 122881, 0, 0",
    "1000, 2048, 1, 0",
    "1000, 2048, 0, 204801",
  })
  void requestsBeyondTheTableFitNothing(long cpu, long memory, int gpus, long disk) {
    assertThat(FargateSizes.fit(new Resources(cpu, memory, gpus, disk))).isEmpty();
  }

  @Test
  void roundingIsReportedAndAnExactSizeIsNot() {
    TaskSize rounded = FargateSizes.fit(Resources.of(100, 64)).orElseThrow();
    TaskSize exact = FargateSizes.fit(Resources.of(1000, 2048)).orElseThrow();

    assertThat(rounded.rounded()).isTrue();
    assertThat(rounded.describe())
        .isEqualTo(
            "requested 100m CPU / 64 MiB, rounded up to the Fargate size 256 CPU units / 512 MiB");
    assertThat(exact.rounded()).isFalse();
    assertThat(exact.describe())
        .isEqualTo("requested 1000m CPU / 2048 MiB, task size 1024 CPU units / 2048 MiB");
  }

  @Test
  void diskBeyondTheDefaultTwentyGibGetsEphemeralStorageInWholeGib() {
    assertThat(FargateSizes.fit(new Resources(1000, 2048, 0, 20 * 1024)))
        .map(TaskSize::ephemeralStorageGib)
        .isEqualTo(Optional.of(0));
    assertThat(FargateSizes.fit(new Resources(1000, 2048, 0, 30 * 1024 + 1)))
        .map(TaskSize::ephemeralStorageGib)
        .isEqualTo(Optional.of(31));
  }

  @Test
  void everyRowOfTheTableAscendsAndTheLargestMatchesTheAdvertisedMaximum() {
    int previousCpu = 0;
    for (FargateSizes.Row row : FargateSizes.TABLE) {
      assertThat(row.cpuUnits()).isGreaterThan(previousCpu);
      assertThat(row.memoryMib()).isSorted();
      previousCpu = row.cpuUnits();
    }
    TaskSize largest = FargateSizes.fit(FargateSizes.LARGEST).orElseThrow();
    assertThat(largest.cpuUnits()).isEqualTo(16384);
    assertThat(largest.memoryMib()).isEqualTo(122880);
  }

  @Test
  void onEc2TheTaskGetsWhatItAsksInWholeCpuUnits() {
    TaskSize size = TaskSize.ec2(Resources.of(300, 700));

    assertThat(size.cpuUnits()).isEqualTo(308);
    assertThat(size.memoryMib()).isEqualTo(700);
    assertThat(size.fargate()).isFalse();
    assertThat(TaskSize.ec2(Resources.NONE).cpuUnits()).isEqualTo(256);
    assertThat(TaskSize.ec2(Resources.NONE).memoryMib()).isEqualTo(512);
  }
}
