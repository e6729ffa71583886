package io.hodei.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BootstrapTokensTest {

  @Test
  void tokensAreRandomAndPrefixed() {
    String a = BootstrapTokens.generate("hbt_");
    String b = BootstrapTokens.generate("hbt_");
    assertThat(a).startsWith("hbt_").hasSizeGreaterThan(40).isNotEqualTo(b);
  }

  @Test
  void theHashIsStableAndRevealsNothingOfTheToken() {
    String token = BootstrapTokens.generate("hbt_");
    assertThat(BootstrapTokens.hash(token))
        .isEqualTo(BootstrapTokens.hash(token))
        .hasSize(64)
        .doesNotContain(token.substring(4, 12));
  }
}
