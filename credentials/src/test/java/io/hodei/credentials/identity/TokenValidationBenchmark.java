package io.hodei.credentials.identity;

import java.time.Clock;
import java.util.Arrays;

/**
 * Prints p50 and p99 of token validation with a warm JWKS cache: a real Keycloak token, checked in
 * process (signature, issuer, audience, expiry, claims). A program, not a test, so that a busy
 * build machine cannot make the build flaky. It starts the test Keycloak server, so it needs the
 * distribution the build unpacks: run it as the credentials README says.
 */
public final class TokenValidationBenchmark {

  private TokenValidationBenchmark() {}

  public static void main(String[] args) {
    int warmup = 20_000;
    int measured = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    KeycloakTestServer keycloak = KeycloakTestServer.get();
    TokenVerifier verifier =
        new TokenVerifier(
            IdentitySettings.keycloak(keycloak.baseUrl(), KeycloakTestServer.REALM, "hodei-broker"),
            Clock.systemUTC());
    String token =
        ClientCredentials.token(keycloak.tokenEndpoint(), "ci-runner", "ci-runner-secret");
    for (int i = 0; i < warmup; i++) {
      verifier.verify(token);
    }
    long[] nanos = new long[measured];
    for (int i = 0; i < measured; i++) {
      long start = System.nanoTime();
      verifier.verify(token);
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "token validation (RS256, warm JWKS cache) over %d calls: p50 %.1f us, p99 %.1f us,"
            + " p99.9 %.1f us%n",
        measured,
        nanos[measured / 2] / 1000.0,
        nanos[(int) (measured * 0.99)] / 1000.0,
        nanos[(int) (measured * 0.999)] / 1000.0);
  }
}
