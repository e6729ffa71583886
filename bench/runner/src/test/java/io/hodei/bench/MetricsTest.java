package io.hodei.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsTest {

  private static final String TEXT =
      """
      # TYPE jvm_memory_used_bytes gauge
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2000000.0
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
      """;

  @Test
  void sumsTheMatchingSamples() {
    assertThat(Metrics.sum(TEXT, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(12_485_760);
  }

  @Test
  void saysWhichMetricIsMissing() {
    assertThatThrownBy(() -> Metrics.sum(TEXT, "process_cpu_usage", ""))
        .hasMessageContaining("process_cpu_usage");
  }
}
