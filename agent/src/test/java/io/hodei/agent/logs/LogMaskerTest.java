package io.hodei.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogMaskerTest {

  @Test
  void masksEveryOccurrenceOfEveryValue() {
    LogMasker masker = LogMasker.of(List.of("s3cret", "tok"));

    assertThat(masker.mask("a s3cret and tok and s3cret")).isEqualTo("a *** and *** and ***");
  }

  @Test
  void masksTheLongerValueWholeWhenOneContainsAnother() {
    LogMasker masker = LogMasker.of(List.of("abc", "abcdef"));

    assertThat(masker.mask("x abcdef y")).isEqualTo("x *** y");
  }

  @Test
  void masksEachLineOfAMultiLineValue() {
    LogMasker masker = LogMasker.of(List.of("-----BEGIN-----\nMIIBkey\n-----END-----"));

    assertThat(masker.mask("  MIIBkey")).isEqualTo("  ***");
  }

  @Test
  void ignoresEmptyValues() {
    LogMasker masker = LogMasker.of(List.of("", "x1"));

    assertThat(masker.mask("plain")).isEqualTo("plain");
  }
}
