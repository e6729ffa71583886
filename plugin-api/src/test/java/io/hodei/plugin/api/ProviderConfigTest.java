package io.hodei.plugin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hodei.plugin.api.ProviderException.ErrorCode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderConfigTest {

  private static ProviderConfig config(String key, String value) {
    return new ProviderConfig("local-x", Map.of(key, value));
  }

  @Test
  void readsDurationsInBothForms() {
    assertThat(config("grace", "250ms").getDuration("grace", Duration.ZERO))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(config("grace", "30s").getDuration("grace", Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(config("grace", "5m").getDuration("grace", Duration.ZERO))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(config("grace", "2h").getDuration("grace", Duration.ZERO))
        .isEqualTo(Duration.ofHours(2));
    assertThat(config("grace", " PT1M30S ").getDuration("grace", Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(new ProviderConfig("x", Map.of()).getDuration("grace", Duration.ofSeconds(7)))
        .isEqualTo(Duration.ofSeconds(7));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "99999999999999999999s",
        "9999999999999999h",
        "9223372036854775807m",
        "99999999999999999999ms",
        "PT9999999999999999999H",
        "PT-5S",
        "-5s",
        "P36526D",
        "soon",
        "5 s",
        "5d"
      })
  void refusesUnreadableNegativeAndOverflowingDurationsNamingTheSetting(String value) {
    assertThatThrownBy(
            () -> config("terminationGrace", value).getDuration("terminationGrace", null))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("provider instance 'local-x'")
        .hasMessageContaining("setting 'terminationGrace'");
  }

  @Test
  void aDurationOutsideTheCallersRangeIsRefusedWithTheRange() {
    assertThatThrownBy(
            () ->
                config("poll", "1ms")
                    .getDuration("poll", null, Duration.ofSeconds(1), Duration.ofHours(1)))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("setting 'poll' must be from 1s to 1h, got '1ms'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"99999999999999999999", "2147483648", "-2147483649", "1.5", "ten", "1e3"})
  void refusesWholeNumbersItCannotHold(String value) {
    assertThatThrownBy(() -> config("keepLogs", value).getInt("keepLogs", 0))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("setting 'keepLogs'");
  }

  @Test
  void readsWholeNumbersWithinTheirRange() {
    assertThat(config("keepLogs", " 12 ").getInt("keepLogs", 0)).isEqualTo(12);
    assertThat(config("keepLogs", "2147483647").getInt("keepLogs", 0)).isEqualTo(Integer.MAX_VALUE);
    assertThat(config("size", "9223372036854775807").getLong("size", 0, 0, Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> config("keepLogs", "-1").getInt("keepLogs", 0, 0, 100))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("setting 'keepLogs' must be from 0 to 100, got -1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "1", "TRUE!", "on"})
  void refusesBooleansOtherThanTrueAndFalse(String value) {
    assertThatThrownBy(() -> config("debug", value).getBoolean("debug", false))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("setting 'debug' must be true or false");
    assertThat(config("debug", "TRUE").getBoolean("debug", false)).isTrue();
  }

  @Test
  void aHugeRefusedValueIsEchoedCutShort() {
    String huge = "9".repeat(100_000) + "s";
    assertThatThrownBy(() -> config("grace", huge).getDuration("grace", null))
        .isInstanceOf(ProviderException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }
}
