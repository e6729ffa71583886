package io.hodei.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {

  private static final Path PLUGIN = Path.of("plugins", "handoff.jar");

  @Test
  void defaults() {
    Options options = Options.parse(new String[0], PLUGIN);

    assertThat(options.jobs()).isEqualTo(2000);
    assertThat(options.rate()).isEqualTo(100);
    assertThat(options.pluginJar()).isEqualTo(PLUGIN);
    assertThat(options.jfr()).isFalse();
  }

  @Test
  void readsEveryOption() {
    Options options =
        Options.parse(
            new String[] {
              "--jobs",
              "10",
              "--concurrency",
              "3",
              "--rate",
              "7",
              "--jfr",
              "--server-opt",
              "hodei.controller.batch-size=20",
              "--db-setting",
              "synchronous_commit=off"
            },
            PLUGIN);

    assertThat(options.jobs()).isEqualTo(10);
    assertThat(options.concurrency()).isEqualTo(3);
    assertThat(options.rate()).isEqualTo(7);
    assertThat(options.jfr()).isTrue();
    assertThat(options.serverOptions()).containsExactly("hodei.controller.batch-size=20");
    assertThat(options.dbSettings()).containsExactly("synchronous_commit=off");
  }

  @Test
  void saysWhatIsWrong() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--jobs", "0"}, PLUGIN))
        .hasMessageContaining("--jobs must be at least 1");
    assertThatThrownBy(() -> Options.parse(new String[] {"--rate"}, PLUGIN))
        .hasMessageContaining("--rate needs a value");
    assertThatThrownBy(() -> Options.parse(new String[] {"--server-opt", "x"}, PLUGIN))
        .hasMessageContaining("key=value");
    assertThatThrownBy(() -> Options.parse(new String[] {"--fast"}, PLUGIN))
        .hasMessageContaining("unknown option '--fast'");
  }
}
