package io.hodei.plugins.cloudrun.fake;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google's OAuth token endpoint as a service-account key uses it: the client signs a JWT with its
 * private key ({@code iss} = the account's email, {@code aud} = the token URI, {@code scope}) and
 * exchanges it for an access token (RFC 7523). The fake checks the signature against the keys it
 * issued, so the identity behind every API call is known, and keys can be disabled.
 */
public final class FakeOAuth {

  /** The scope every Cloud Run call needs. */
  static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  /**
   * The audience Google's libraries put in the assertion, whatever token URI the key names; the
   * real endpoint insists on it.
   */
  static final String AUDIENCE = "https://oauth2.googleapis.com/token";

  private final String tokenUri;
  private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
  private final Map<String, String> keyIdToEmail = new ConcurrentHashMap<>();
  private final Set<String> disabledKeys = ConcurrentHashMap.newKeySet();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  FakeOAuth(String tokenUri) {
    this.tokenUri = tokenUri;
  }

  /**
   * A new key of service account {@code name}, as the JSON file Google Cloud's console hands out,
   * with the token URI pointing at this fake.
   */
  public String newServiceAccountKey(String name) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      String keyId = UUID.randomUUID().toString().replace("-", "");
      String email = name + "@hodei-test.iam.gserviceaccount.com";
      keys.put(keyId, pair.getPublic());
      keyIdToEmail.put(keyId, email);
      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(pair.getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n";
      JsonObject json = new JsonObject();
      json.addProperty("type", "service_account");
      json.addProperty("project_id", "hodei-test");
      json.addProperty("private_key_id", keyId);
      json.addProperty("private_key", pem);
      json.addProperty("client_email", email);
      json.addProperty("client_id", String.valueOf(Math.abs(keyId.hashCode())));
      json.addProperty("token_uri", tokenUri);
      return json.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A valid access token for the key, as if its holder had exchanged it (for test requests). */
  public String tokenFor(String keyJson) {
    String keyId =
        JsonParser.parseString(keyJson).getAsJsonObject().get("private_key_id").getAsString();
    String token = "ya29.fake-" + UUID.randomUUID();
    tokens.put(token, keyId);
    return token;
  }

  /** Disables every key of the account that {@code keyJson} belongs to, and its tokens. */
  public void disable(String keyJson) {
    String keyId =
        JsonParser.parseString(keyJson).getAsJsonObject().get("private_key_id").getAsString();
    disabledKeys.add(keyId);
    tokens.values().removeIf(keyId::equals);
  }

  /** The email of the key's account, as the fake will report it for calls made with it. */
  public static String emailOf(String keyJson) {
    return JsonParser.parseString(keyJson).getAsJsonObject().get("client_email").getAsString();
  }

  /** The account email behind a bearer token, if the token is valid. */
  Optional<String> identityOf(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return Optional.empty();
    }
    String keyId = tokens.get(authorization.substring("Bearer ".length()));
    if (keyId == null || disabledKeys.contains(keyId)) {
      return Optional.empty();
    }
    return Optional.ofNullable(keyIdToEmail.get(keyId));
  }

  /** Handles a token request body; returns the HTTP status and the JSON answer. */
  Map.Entry<Integer, String> exchange(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
      return error("unsupported_grant_type", "Invalid grant_type: " + form.get("grant_type"));
    }
    String[] parts = String.valueOf(form.get("assertion")).split("\\.");
    if (parts.length != 3) {
      return error("invalid_grant", "Invalid JWT.");
    }
    JsonObject header = decode(parts[0]);
    JsonObject claims = decode(parts[1]);
    String keyId = header.has("kid") ? header.get("kid").getAsString() : "";
    PublicKey key = keys.get(keyId);
    if (key == null || !"RS256".equals(header.get("alg").getAsString())) {
      return error("invalid_grant", "Invalid JWT Signature.");
    }
    if (!verify(key, parts[0] + "." + parts[1], parts[2]) || disabledKeys.contains(keyId)) {
      return error("invalid_grant", "Invalid JWT Signature.");
    }
    if (!keyIdToEmail.get(keyId).equals(claims.get("iss").getAsString())
        || !AUDIENCE.equals(claims.get("aud").getAsString())
        || !claims.has("scope")
        || !claims.get("scope").getAsString().contains(CLOUD_PLATFORM)) {
      return error("invalid_grant", "Invalid JWT: iss, aud or scope is wrong.");
    }
    String token = "ya29.fake-" + UUID.randomUUID();
    tokens.put(token, keyId);
    JsonObject answer = new JsonObject();
    answer.addProperty("access_token", token);
    answer.addProperty("expires_in", 3599);
    answer.addProperty("token_type", "Bearer");
    return Map.entry(200, answer.toString());
  }

  private static boolean verify(PublicKey key, String signed, String signature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(signed.getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(Base64.getUrlDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static JsonObject decode(String part) {
    return JsonParser.parseString(
            new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  private static Map.Entry<Integer, String> error(String code, String description) {
    JsonObject answer = new JsonObject();
    answer.addProperty("error", code);
    answer.addProperty("error_description", description);
    return Map.entry(400, answer.toString());
  }
}
