package io.hodei.server.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksumAllowListTest {

  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  @Test
  void withNoEntriesEverythingIsAllowed() {
    ChecksumAllowList none = ChecksumAllowList.parse(List.of());

    assertThat(none.enabled()).isFalse();
    assertThat(none.refusal("any.jar", A)).isEmpty();
  }

  @Test
  void aBareChecksumAllowsThatContentUnderAnyName() {
    ChecksumAllowList list = ChecksumAllowList.parse(List.of(A.toUpperCase()));

    assertThat(list.refusal("one.jar", A)).isEmpty();
    assertThat(list.refusal("other.jar", A)).isEmpty();
    assertThat(list.refusal("one.jar", B))
        .hasValueSatisfying(
            why -> assertThat(why).contains("one.jar", B, "is not in hodei.plugins.checksums"));
  }

  @Test
  void aNamedChecksumPinsThatFileToThatContent() {
    ChecksumAllowList list = ChecksumAllowList.parse(List.of("echo.jar=" + A));

    assertThat(list.refusal("echo.jar", A)).isEmpty();
    assertThat(list.refusal("echo.jar", B))
        .hasValueSatisfying(why -> assertThat(why).contains("has SHA-256 " + B, "expects " + A));
    assertThat(list.refusal("other.jar", A)).isPresent();
  }

  @Test
  void aMalformedEntryIsAnErrorThatNamesIt() {
    assertThatThrownBy(() -> ChecksumAllowList.parse(List.of("echo.jar=123")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'echo.jar=123'")
        .hasMessageContaining("sha256sum");
  }
}
