package io.hodei.server.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pf4j.DefaultVersionManager;

class ApiCompatibilityTest {

  private final ApiCompatibility api = new ApiCompatibility("1.0.0", new DefaultVersionManager());

  @Test
  void rangesThatAdmitTheOfferedVersionPass() {
    assertThat(api.refusal("p", ">=1.0.0 & <2.0.0")).isEmpty();
    assertThat(api.refusal("p", "1.0.0")).isEmpty();
    assertThat(api.refusal("p", "*")).isEmpty();
    assertThat(api.refusal("p", "")).isEmpty();
  }

  @Test
  void aRangeThatExcludesItIsRefusedWithBothVersions() {
    assertThat(api.refusal("future", ">=2.0.0"))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .startsWith(
                        "plugin future requires plugin API '>=2.0.0' but this server offers"
                            + " 1.0.0"));
    assertThat(api.refusal("later", "1.1.0")).isPresent();
  }

  @Test
  void aRangeThatIsNotOneIsRefusedWithAnExample() {
    assertThat(api.refusal("odd", "version one"))
        .hasValueSatisfying(why -> assertThat(why).contains("'version one'", ">=1.0.0 & <2.0.0"));
  }
}
