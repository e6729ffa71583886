package io.hodei.credentials.identity;

import io.hodei.credentials.identity.InvalidTokenException.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * Obtains a confidential client's access tokens by the OAuth 2 client-credentials grant and renews
 * them once two thirds of their life has passed. The client secret can be replaced at any time
 * ({@link #useSecret}); the token in hand stays in use until it is due, so a rotation never leaves
 * the holder without a token. Thread-safe.
 */
public final class ClientCredentialsTokenSource implements TokenSource {

  /** How long a token is taken to live when the response does not say. */
  private static final long DEFAULT_LIFE_SECONDS = 60;

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final URI tokenEndpoint;
  private final String clientId;
  private final Clock clock;
  private final HttpClient http;
  private volatile String secret;
  private String token;
  private Instant renewAt = Instant.MIN;
  private Instant expiresAt = Instant.MIN;

  public ClientCredentialsTokenSource(
      URI tokenEndpoint, String clientId, String secret, Clock clock, HttpClient http) {
    this.tokenEndpoint = tokenEndpoint;
    this.clientId = clientId;
    this.secret = secret;
    this.clock = clock;
    this.http = http;
  }

  /** The client's new secret, used from the next renewal on. */
  public void useSecret(String newSecret) {
    this.secret = newSecret;
  }

  /** Renews the token at the next call, e.g. to prove a new secret works. */
  public synchronized void renewSoon() {
    renewAt = Instant.MIN;
  }

  public String clientId() {
    return clientId;
  }

  @Override
  public synchronized String token() {
    Instant now = clock.instant();
    if (token != null && now.isBefore(renewAt)) {
      return token;
    }
    try {
      renew(now);
    } catch (InvalidTokenException e) {
      // The token in hand still works: keep using it and try again at the next call.
      if (token != null && now.isBefore(expiresAt)) {
        return token;
      }
      throw e;
    }
    return token;
  }

  private void renew(Instant now) {
    String form =
        "grant_type=client_credentials&client_id="
            + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(tokenEndpoint)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unavailable("cannot reach " + tokenEndpoint + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while asking " + tokenEndpoint + " for a token");
    }
    TokenResponse answer =
        response.statusCode() == 200 ? TokenResponse.parse(response.body()) : null;
    if (answer == null) {
      // The body may say why (e.g. invalid_client) but never holds the secret.
      throw unavailable(
          tokenEndpoint
              + " refused client '"
              + clientId
              + "' (HTTP "
              + response.statusCode()
              + "): check its secret and that it may use the client-credentials grant");
    }
    token = answer.accessToken();
    expiresAt = now.plusSeconds(answer.lifeSeconds());
    renewAt = now.plusSeconds(answer.lifeSeconds() * 2 / 3);
  }

  /**
   * The fields of an OAuth 2 token response (RFC 6749, section 5.1) that a client needs, read with
   * jose4j's JSON parser (already here for the JWT checks).
   */
  record TokenResponse(String accessToken, long lifeSeconds) {

    /** The response in {@code body}, or null when it is no JSON object with an access token. */
    static TokenResponse parse(String body) {
      Map<String, Object> fields;
      try {
        fields = JsonUtil.parseJson(body);
      } catch (JoseException | RuntimeException e) {
        return null;
      }
      if (!(fields.get("access_token") instanceof String access) || access.isBlank()) {
        return null;
      }
      // Only bearer tokens are meant for Authorization: Bearer; the type is case-insensitive.
      if (fields.get("token_type") instanceof String type && !type.equalsIgnoreCase("Bearer")) {
        return null;
      }
      long life =
          fields.get("expires_in") instanceof Number seconds && seconds.longValue() > 0
              ? seconds.longValue()
              : DEFAULT_LIFE_SECONDS;
      return new TokenResponse(access, life);
    }
  }

  private InvalidTokenException unavailable(String message) {
    return new InvalidTokenException(
        Reason.UNAVAILABLE, "no token for client '" + clientId + "': " + message);
  }
}
