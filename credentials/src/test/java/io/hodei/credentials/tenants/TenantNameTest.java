package io.hodei.credentials.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"default", "a", "tenant-a", "acme", "team-7", "x1-"})
  void acceptsLowerCaseNamesStartingWithALetter(String name) {
    assertThat(TenantName.isValid(name)).isTrue();
    assertThat(TenantName.require(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "a/b",
        "../a",
        "acme/../globex",
        "*",
        "%",
        "acme ",
        " acme",
        "Acme",
        "7up",
        "-a",
        "a_b",
        "a.b",
        "a\u0000b",
        "acme\n",
        "é"
      })
  void refusesEverythingElse(String name) {
    assertThat(TenantName.isValid(name)).isFalse();
    assertThatThrownBy(() -> TenantName.require(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lower-case letters");
  }

  @org.junit.jupiter.api.Test
  void hasAtMost63Characters() {
    assertThat(TenantName.isValid("a".repeat(63))).isTrue();
    assertThat(TenantName.isValid("a".repeat(64))).isFalse();
    assertThat(TenantName.isValid(null)).isFalse();
  }

  @org.junit.jupiter.api.Test
  void aRefusalQuotesOnlyAShortPrintablePrefix() {
    assertThatThrownBy(() -> TenantName.require("a".repeat(200) + "\u0000"))
        .hasMessageContaining("'" + "a".repeat(20) + "...'")
        .hasMessageContaining("201 characters")
        .hasMessageNotContaining("a".repeat(21));
  }
}
