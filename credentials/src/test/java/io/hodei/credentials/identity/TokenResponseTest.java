package io.hodei.credentials.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.hodei.credentials.identity.ClientCredentialsTokenSource.TokenResponse;
import org.junit.jupiter.api.Test;

/** Token endpoint answers are read as JSON, not matched as text. */
class TokenResponseTest {

  @Test
  void readsTheAccessTokenAndItsLife() {
    assertThat(
            TokenResponse.parse(
                "{\"access_token\":\"eyJ.x.y\",\"token_type\":\"Bearer\",\"expires_in\":300}"))
        .isEqualTo(new TokenResponse("eyJ.x.y", 300));
  }

  @Test
  void unescapesStringsAndIgnoresLookalikesInsideOtherValues() {
    String body =
        "{ \"note\" : \"\\\"access_token\\\":\\\"decoy\\\"\","
            + " \"access_token\" : \"a\\/b\", \"expires_in\" : 120 }";
    assertThat(TokenResponse.parse(body)).isEqualTo(new TokenResponse("a/b", 120));
  }

  @Test
  void aMissingLifeIsTakenAsAMinute() {
    assertThat(TokenResponse.parse("{\"access_token\":\"t\"}"))
        .isEqualTo(new TokenResponse("t", 60));
  }

  @Test
  void refusesAnswersWithoutABearerAccessToken() {
    assertThat(TokenResponse.parse("not json")).isNull();
    assertThat(TokenResponse.parse("[\"access_token\"]")).isNull();
    assertThat(TokenResponse.parse("{\"error\":\"invalid_client\"}")).isNull();
    assertThat(TokenResponse.parse("{\"access_token\":42}")).isNull();
    assertThat(TokenResponse.parse("{\"access_token\":\"t\",\"token_type\":\"mac\"}")).isNull();
  }
}
